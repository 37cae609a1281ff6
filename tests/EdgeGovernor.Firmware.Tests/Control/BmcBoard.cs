using EdgeGovernor.Firmware.Configuration;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>Builds a board (one RAPL package) plus a remote server reached through a BMC, for the BMC tests.</summary>
internal sealed class BmcBoard : IDisposable
{
    public BmcBoard(int bmcPort, int pollMs = 100, int timeoutMs = 2000, int retries = 2)
    {
        Package = Sysfs.AddRaplZone("intel-rapl:0", "package-0", longTermUw: 124_000_000);
        Sysfs.AddHwmon(0, enable: 2);
        StateFile = Path.Combine(Dir.Path, "state", "actuators.json");
        Credentials = Dir.File("bmc.cred", $"username={IpmiSimProcess.UserName}\npassword={IpmiSimProcess.Password}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Bmc = new BmcConfig
        {
            Host = "127.0.0.1",
            Port = bmcPort,
            CredentialsFile = Credentials,
            PollMs = pollMs,
            TimeoutMs = timeoutMs,
            Retries = retries,
            CorrectionTimeMs = 2500,
            SamplingPeriodSeconds = 3,
        };
    }

    public TempDir Dir { get; } = new();

    public FakeSysfs Sysfs { get; } = new();

    public string Package { get; }

    public string StateFile { get; }

    public string Credentials { get; }

    public BmcConfig Bmc { get; }

    /// <summary>Server 0: this board's package; server 1: the remote machine behind the BMC.</summary>
    public RackConfig Rack() =>
        Rack(Sysfs, StateFile, new ServerConfig { Name = "remote", Count = 1, MinCapWatts = 100, MaxCapWatts = 300, Bmc = Bmc, Protected = false });

    /// <summary>A linux rack on <paramref name="sysfs"/>: server 0 this board's package, server 1 <paramref name="remote"/>.</summary>
    public static RackConfig Rack(FakeSysfs sysfs, string stateFile, ServerConfig remote) => new()
    {
        Hardware = "linux",
        SysfsRoot = sysfs.Root,
        StateFile = stateFile,
        BudgetWatts = 2000,
        Servers =
        [
            new ServerConfig { Name = "board", Count = 1, MinCapWatts = 40, MaxCapWatts = 120 },
            remote,
        ],
    };

    public static void WaitUntil(Func<bool> condition, string what, int seconds = 60) => NodeProcess.WaitUntil(condition, what, seconds);

    public void Dispose()
    {
        Sysfs.Dispose();
        Dir.Dispose();
    }
}
