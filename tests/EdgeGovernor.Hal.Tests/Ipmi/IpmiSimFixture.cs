using System.Net;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>One ipmi_sim per test class (see <see cref="IpmiSimProcess"/>); nothing is started when the tools are missing, as the tests are then skipped.</summary>
public sealed class IpmiSimFixture : IAsyncLifetime
{
    public const string UserName = IpmiSimProcess.UserName;
    public const string Password = IpmiSimProcess.Password;

    private readonly IpmiSimProcess _sim = new();

    public int Port => _sim.Port;

    public IPEndPoint EndPoint => _sim.EndPoint;

    public string ChassisLog => _sim.ChassisLog;

    public IpmiBmcOptions Options(string? password = null, IpmiCipherSuite suite = IpmiCipherSuite.Suite3, string userName = UserName) =>
        _sim.Options(password, suite, userName);

    public Task RestartAsync() => _sim.RestartAsync();

    public Task<string> IpmitoolAsync(params string[] command) => _sim.IpmitoolAsync(command);

    public static int FreeUdpPort() => IpmiSimProcess.FreeUdpPort();

    public Task InitializeAsync() => IpmiSimFactAttribute.MissingReason is null ? _sim.StartAsync(IpmiSimProcess.RepoRoot()) : Task.CompletedTask;

    public Task DisposeAsync() => _sim.DisposeAsync().AsTask();
}

/// <summary>A fact that needs ipmi_sim, ipmitool, gcc and the OpenIPMI headers; skipped with the reason when one is missing.</summary>
public sealed class IpmiSimFactAttribute : FactAttribute
{
    public IpmiSimFactAttribute()
    {
        if (MissingReason is { } reason)
        {
            Skip = reason;
        }
    }

    public static string? MissingReason { get; } = FindMissing();

    private static string? FindMissing()
    {
        string[] needed = ["ipmi_sim", "ipmitool", "gcc"];
        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':');
        foreach (string tool in needed)
        {
            if (!path.Any(d => File.Exists(Path.Combine(d, tool))))
            {
                return $"{tool} not found on PATH: apt-get install openipmi libopenipmi-dev ipmitool gcc (CI installs them)";
            }
        }

        return File.Exists("/usr/include/OpenIPMI/mcserv.h")
            ? null
            : "/usr/include/OpenIPMI/mcserv.h not found: apt-get install libopenipmi-dev (CI installs it)";
    }
}
