using System.Diagnostics;
using System.Globalization;
using System.Net;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.TestSupport.Ipmi;

/// <summary>
/// Runs pyghmi's IPMI server (Debian python3-pyghmi) as a BMC on 127.0.0.1 and a free UDP port, through
/// Fixtures/pyghmi_bmc.py: chassis control logged to a file after an optional delay (pyghmi handles one
/// datagram at a time, so a slow command holds up the ones behind it), DCMI power reading and limit.
/// </summary>
public sealed class PyghmiBmcProcess : IAsyncDisposable
{
    public const string UserName = "egadmin";
    public const string Password = "Edge-Gov-2026!";
    public const string Python = "/usr/bin/python3";

    private readonly PeerProcess _process = new();

    private PyghmiBmcProcess()
    {
    }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "egov-pyghmi-" + Guid.NewGuid().ToString("N")[..12]);

    public int Port { get; private set; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>Chassis commands carried out, one per line ("on", "off", "cycle", "reset", "shutdown").</summary>
    public string[] ChassisLog => File.Exists(Path.Combine(Directory, "chassis.log"))
        ? File.ReadAllLines(Path.Combine(Directory, "chassis.log"))
        : [];

    /// <summary>Why the pyghmi tests cannot run here, or null.</summary>
    public static string? MissingReason { get; } = FindMissing();

    private static string? FindMissing()
    {
        if (!File.Exists(Python) || !File.Exists("/usr/lib/python3/dist-packages/pyghmi/ipmi/bmc.py"))
        {
            return "pyghmi not found for /usr/bin/python3: apt-get install python3-pyghmi (CI installs it)";
        }

        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':');
        foreach (string tool in new[] { "ipmitool", "ipmi-dcmi" })
        {
            if (!path.Any(d => File.Exists(Path.Combine(d, tool))))
            {
                return $"{tool} not found on PATH: apt-get install ipmitool freeipmi-tools (CI installs them)";
            }
        }

        return null;
    }

    /// <summary>Runs ipmitool (lanplus, cipher suite 3) against this BMC and returns its standard output.</summary>
    public Task<string> IpmitoolAsync(params string[] command) =>
        ToolRunner.RunAsync("ipmitool", ["-I", "lanplus", "-C", "3", "-H", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-U", UserName, "-E", .. command], ("IPMI_PASSWORD", Password));

    /// <summary>Runs FreeIPMI's ipmi-dcmi (IPMI 2.0, cipher suite 3) against this BMC and returns its standard output.</summary>
    public Task<string> IpmiDcmiAsync(params string[] command) =>
        ToolRunner.RunAsync("ipmi-dcmi", ["-h", $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}", "-D", "LAN_2_0", "-I", "3",
            "-u", UserName, "-p", Password, .. command]);

    /// <summary>Starts a pyghmi BMC whose chassis commands take <paramref name="controlDelay"/> and whose active limit has <paramref name="limitAction"/> (null: no limit).</summary>
    public static async Task<PyghmiBmcProcess> StartAsync(TimeSpan controlDelay = default, byte? limitAction = null)
    {
        PyghmiBmcProcess p = new();
        System.IO.Directory.CreateDirectory(p.Directory);
        p.Port = FreePorts.Udp();
        ProcessStartInfo psi = new(Python);
        foreach (string a in new[]
        {
            RepoPaths.InRepo("tests", "EdgeGovernor.TestSupport", "Ipmi", "Fixtures", "pyghmi_bmc.py"),
            p.Port.ToString(CultureInfo.InvariantCulture), UserName, Password, p.Directory,
            controlDelay.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            limitAction is { } action ? "0x" + action.ToString("X2", CultureInfo.InvariantCulture) : "none",
        })
        {
            psi.ArgumentList.Add(a);
        }

        await p._process.StartAsync(psi, p.EndPoint, "pyghmi_bmc.py");
        return p;
    }

    public IpmiBmcOptions Options(string? password = null, string userName = UserName) =>
        new(EndPoint, new IpmiCredentials(userName, password ?? Password)) { Timeout = TimeSpan.FromSeconds(1), Retries = 3 };

    public string Output => _process.Output;

    public ValueTask DisposeAsync()
    {
        _process.Stop();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
