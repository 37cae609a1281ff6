using System.Net;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.TestSupport.Ipmi;

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

    public Task PauseAsync() => _sim.SignalAsync(pause: true);

    public Task ResumeAsync() => _sim.SignalAsync(pause: false);

    public Task<string> IpmitoolAsync(params string[] command) => _sim.IpmitoolAsync(command);

    public Task InitializeAsync() => IpmiSimFactAttribute.MissingReason is null ? _sim.StartAsync() : Task.CompletedTask;

    public Task DisposeAsync() => _sim.DisposeAsync().AsTask();
}
