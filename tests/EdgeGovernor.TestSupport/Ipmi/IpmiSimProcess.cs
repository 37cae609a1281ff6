using System.Diagnostics;
using System.Net;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.TestSupport.Ipmi;

/// <summary>
/// Runs a real ipmi_sim (Debian openipmi) on 127.0.0.1 and a free UDP port, with a fresh state
/// directory, a user, a chassis-control script and the DCMI extension module compiled from
/// Fixtures/dcmi_ext.c with gcc against the libopenipmi-dev headers. Used by the IPMI tests (through
/// <see cref="IpmiSimFixture"/>) and by the IPMI round-trip benchmark.
/// </summary>
public sealed class IpmiSimProcess : IAsyncDisposable
{
    public const string UserName = "egadmin";
    public const string Password = "Edge-Gov-2026!";

    private readonly PeerProcess _process = new();

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "egov-ipmisim-" + Guid.NewGuid().ToString("N")[..12]);

    public int Port { get; private set; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The simulator's own record of chassis-control calls (one line per call).</summary>
    public string ChassisLog => File.Exists(Path.Combine(Directory, "chassis.log")) ? File.ReadAllText(Path.Combine(Directory, "chassis.log")) : string.Empty;

    public string Output => _process.Output;

    public IpmiBmcOptions Options(string? password = null, IpmiCipherSuite suite = IpmiCipherSuite.Suite3, string userName = UserName) =>
        new(EndPoint, new IpmiCredentials(userName, password ?? Password))
        {
            CipherSuite = suite,
            Timeout = TimeSpan.FromSeconds(2),
            Retries = 2,
        };

    /// <summary>Compiles the DCMI module, writes the configuration and starts the simulator.</summary>
    public async Task StartAsync()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "state"));
        string fixtures = RepoPaths.InRepo("tests", "EdgeGovernor.TestSupport", "Ipmi", "Fixtures");
        string module = Path.Combine(Directory, "dcmi_ext.so");
        await RunAsync("gcc", ["-shared", "-fPIC", "-Wall", "-Wextra", "-Werror", "-o", module, Path.Combine(fixtures, "dcmi_ext.c")]);
        string script = Path.Combine(Directory, "chassis_control.sh");
        File.Copy(Path.Combine(fixtures, "chassis_control.sh"), script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        File.WriteAllText(Path.Combine(Directory, "power"), "1\n");
        Port = FreePorts.Udp();
        File.WriteAllText(Path.Combine(Directory, "lan.conf"), $"""
            name "egsim"
            set_working_mc 0x20
              startlan 1
                addr 127.0.0.1 {Port}
                priv_limit admin
                allowed_auths_callback none md2 md5 straight
                allowed_auths_user none md2 md5 straight
                allowed_auths_operator none md2 md5 straight
                allowed_auths_admin none md2 md5 straight
                guid a123456789abcdefa123456789abcdef
              endlan
              chassis_control "{script} {Directory}"
              loadlib "{module}" "{Path.Combine(Directory, "power")}"
              user 2 true "{UserName}" "{Password}" admin 10 none md2 md5 straight
            """);
        File.WriteAllText(Path.Combine(Directory, "sim.emu"), """
            mc_setbmc 0x20
            mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02
            mc_enable 0x20
            """);
        await LaunchAsync();
    }

    /// <summary>Kills ipmi_sim and starts it again on the same port: every session it held is gone.</summary>
    public async Task RestartAsync()
    {
        Stop();
        await LaunchAsync();
    }

    /// <summary>Stops (SIGSTOP) or continues (SIGCONT) the simulator: while stopped, datagrams queue in its socket unanswered.</summary>
    public Task SignalAsync(bool pause) =>
        RunAsync("kill", [pause ? "-STOP" : "-CONT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>Runs ipmitool against the simulator (lanplus, cipher suite 3) and returns its standard output.</summary>
    public Task<string> IpmitoolAsync(params string[] command) =>
        RunAsync("ipmitool", ["-I", "lanplus", "-C", "3", "-H", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", UserName, "-E", .. command], ("IPMI_PASSWORD", Password));

    public ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private async Task LaunchAsync()
    {
        ProcessStartInfo psi = new("ipmi_sim")
        {
            RedirectStandardInput = true,
            WorkingDirectory = Directory,
        };
        foreach (string a in new[] { "-c", "lan.conf", "-f", "sim.emu", "-s", Path.Combine(Directory, "state"), "-n" })
        {
            psi.ArgumentList.Add(a);
        }

        await _process.StartAsync(psi, EndPoint, "ipmi_sim");
    }

    private void Stop() => _process.Stop();

    private static Task<string> RunAsync(string file, string[] args, (string Name, string Value)? env = null) => ToolRunner.RunAsync(file, args, env);
}
