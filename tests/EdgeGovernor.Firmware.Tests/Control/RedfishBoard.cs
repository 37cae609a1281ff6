using EdgeGovernor.Firmware.Configuration;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>A board (one RAPL package) plus a remote server whose BMC and PDU outlet are reached over Redfish, for the Redfish wiring tests.</summary>
internal sealed class RedfishBoard : IDisposable
{
    public RedfishBoard(Uri bmc, Uri pdu, string user, string password, string outlet = "O1", int pollMs = 150)
    {
        Package = Sysfs.AddRaplZone("intel-rapl:0", "package-0", longTermUw: 124_000_000);
        StateFile = Path.Combine(Dir.Path, "state", "actuators.json");
        Credentials = Dir.File("redfish.cred", $"username={user}\npassword={password}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Redfish = new RedfishConfig
        {
            Address = bmc.GetLeftPart(UriPartial.Authority),
            AllowPlainHttp = true,
            CredentialsFile = Credentials,
            PollMs = pollMs,
            TimeoutMs = 3000,
            Retries = 1,
            CorrectionTimeMs = 2500,
        };
        Outlet = new OutletConfig
        {
            Redfish = new RedfishOutletConfig
            {
                Address = pdu.GetLeftPart(UriPartial.Authority),
                AllowPlainHttp = true,
                CredentialsFile = Credentials,
                PollMs = pollMs,
                TimeoutMs = 3000,
                Retries = 1,
                Outlet = outlet,
            },
        };
    }

    public TempDir Dir { get; } = new();

    public FakeSysfs Sysfs { get; } = new();

    public string Package { get; }

    public string StateFile { get; }

    public string Credentials { get; }

    public RedfishConfig Redfish { get; }

    public OutletConfig Outlet { get; }

    /// <summary>Server 0: this board's package; server 1: the remote machine behind the Redfish BMC, on the PDU outlet.</summary>
    public RackConfig Rack() =>
        BmcBoard.Rack(Sysfs, StateFile, new ServerConfig { Name = "remote", Count = 1, MinCapWatts = 100, MaxCapWatts = 500, Redfish = Redfish, Outlet = Outlet, Protected = false });

    public void Dispose()
    {
        Sysfs.Dispose();
        Dir.Dispose();
    }
}
