using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>
/// Session life cycle on a simulator of its own (no half-open sessions from the failure tests):
/// a BMC that drops every session (here: a restart) costs one new session, not a failed command;
/// disposing the client closes its session on the BMC.
/// </summary>
public sealed class IpmiSimSessionLifecycleTests(IpmiSimFixture sim) : IClassFixture<IpmiSimFixture>
{
    private async Task<int> ActiveSessionsSeenByIpmitoolAsync()
    {
        // ipmitool's own session is one of them.
        System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(
            await sim.IpmitoolAsync("session", "info", "active"), @"active sessions\s*:\s*(\d+)");
        Assert.True(m.Success);
        return int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [IpmiSimFact]
    public async Task Disposing_the_client_closes_its_session_on_the_bmc()
    {
        int before = await ActiveSessionsSeenByIpmitoolAsync();
        IpmiBmc bmc = new(sim.Options());
        await bmc.GetChassisStatusAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(before + 1, await ActiveSessionsSeenByIpmitoolAsync());

        await bmc.DisposeAsync();

        Assert.Equal(before, await ActiveSessionsSeenByIpmitoolAsync());
    }

    [IpmiSimFact]
    public async Task After_the_bmc_drops_the_session_the_client_sets_up_a_new_one()
    {
        IpmiBmcOptions options = sim.Options() with { Timeout = TimeSpan.FromMilliseconds(500), Retries = 1 };
        await using IpmiBmc bmc = new(options);
        Assert.True((await bmc.GetChassisStatusAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60))).PowerOn);
        Assert.Equal(1, bmc.SessionsEstablished);

        await sim.RestartAsync();

        Assert.True((await bmc.GetChassisStatusAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60))).PowerOn);
        Assert.Equal(2, bmc.SessionsEstablished);
        Assert.True(bmc.Retransmissions >= 1);
    }
}
