using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// <see cref="BmcAgent"/> on its own loop against an in-memory BMC: the cap becomes a DCMI limit (sent again only when
/// it moves by a watt), the reading becomes fresh, chassis requests are carried out once, the originals are journalled
/// before the first change and <see cref="BmcRestorer"/> puts them back; a BMC that stops answering is counted,
/// refuses power requests and recovers; a refused limit is counted without the BMC counting as unreachable.
/// </summary>
public sealed class BmcAgentTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ActuatorStateJournal _journal;
    private readonly BmcConfig _config = new()
    {
        Host = "192.0.2.7",
        Port = 623,
        PollMs = 10,
        TimeoutMs = 1000,
        Retries = 1,
        CorrectionTimeMs = 2500,
        SamplingPeriodSeconds = 3,
        ExceptionAction = "hard-off",
    };

    public BmcAgentTests() => _journal = ActuatorStateJournal.Open(Path.Combine(_dir.Path, "actuators.json"));

    public void Dispose() => _dir.Dispose();

    private static void WaitUntil(Func<bool> condition, string what) => NodeProcess.WaitUntil(condition, what, 20);

    private static void WaitTurns(BmcAgent agent, int turns)
    {
        long target = agent.Turns + turns;
        WaitUntil(() => agent.Turns >= target, $"{turns} more turns");
    }

    [Fact]
    public async Task The_cap_becomes_a_dcmi_limit_sent_again_only_when_it_moves_and_the_reading_becomes_fresh()
    {
        var bmc = new FakeBmc();
        var agent = new BmcAgent("remote", bmc, _config, _journal, null);
        Assert.False(agent.TryGetReading(out _));
        Assert.Null(agent.ChassisOn);
        agent.SetDesiredCap(180.2);
        agent.Start();
        WaitUntil(() => agent.TryGetReading(out _), "a fresh reading");
        WaitTurns(agent, 3);

        Assert.True(agent.TryGetReading(out double watts));
        Assert.Equal(150, watts);
        Assert.True(agent.ChassisOn);
        Assert.Equal(new PowerLimit(180, 2500, 3, PowerLimitExceptionAction.HardPowerOffAndLogEvent), bmc.ActiveLimit);
        Assert.Equal(1, agent.LimitWrites);

        agent.SetDesiredCap(179.8); // rounds to the same watt: nothing sent
        WaitTurns(agent, 3);
        Assert.Equal(1, agent.LimitWrites);
        agent.SetDesiredCap(150);
        WaitUntil(() => agent.LimitWrites == 2, "the moved cap");
        Assert.Equal(150, bmc.ActiveLimit!.Value.LimitWatts);
        Assert.Single(bmc.Commands, c => c == "get-limit"); // the original is read once, before the first limit
        await agent.StopAsync();
        Assert.Equal(0, agent.Errors);
        Assert.Equal(0, agent.ChassisCommands);
    }

    [Fact]
    public async Task Originals_are_journalled_before_the_first_change_and_the_restorer_puts_them_back()
    {
        var found = new PowerLimit(250, 1000, 1, PowerLimitExceptionAction.LogEventOnly);
        var bmc = new FakeBmc(powerOn: true, activeLimit: found);
        var agent = new BmcAgent("remote", bmc, _config, _journal, null);
        agent.SetDesiredCap(120);
        agent.Start();
        WaitUntil(() => agent.LimitWrites == 1, "the first limit");
        Assert.True(agent.RequestPower(false));
        WaitUntil(() => agent.ChassisOn == false, "the chassis off");
        await agent.StopAsync();

        Assert.Equal(1, agent.ChassisCommands);
        Assert.Single(bmc.Commands, c => c == $"chassis {ChassisControl.SoftOff}");
        Assert.Contains(_journal.Entries, e => e == new SavedActuatorState(BmcAgent.LimitKind, "192.0.2.7:623", "250 1000 1 17"));
        Assert.Contains(_journal.Entries, e => e == new SavedActuatorState(BmcAgent.ChassisKind, "192.0.2.7:623", "1"));
        Assert.Equal(120, bmc.ActiveLimit!.Value.LimitWatts);

        var restorer = new BmcRestorer(new Dictionary<string, (IBmc, ChassisControl)> { ["192.0.2.7:623"] = (bmc, BmcAgent.OffAction(_config)) });
        RestoreReport report = _journal.RestoreAll(restorer);
        Assert.True(report.Complete);
        Assert.Equal(2, report.Restored);
        Assert.True(bmc.PowerOn);
        Assert.Equal(found, bmc.ActiveLimit);
        Assert.Empty(_journal.Entries);
    }

    [Fact]
    public async Task A_limit_found_inactive_is_deactivated_again_on_restore_and_an_unknown_bmc_or_garbage_fails_the_entry()
    {
        var bmc = new FakeBmc();
        var agent = new BmcAgent("remote", bmc, _config, _journal, null);
        agent.SetDesiredCap(200);
        agent.Start();
        WaitUntil(() => agent.LimitWrites == 1, "the first limit");
        await agent.StopAsync();
        Assert.Contains(_journal.Entries, e => e == new SavedActuatorState(BmcAgent.LimitKind, "192.0.2.7:623", "none"));

        var restorer = new BmcRestorer(new Dictionary<string, (IBmc, ChassisControl)> { ["192.0.2.7:623"] = (bmc, ChassisControl.SoftOff) });
        Assert.True(_journal.RestoreAll(restorer).Complete);
        Assert.Null(bmc.ActiveLimit);

        Assert.Throws<HalException>(() => restorer.Restore(new SavedActuatorState(BmcAgent.LimitKind, "192.0.2.8:623", "none")));
        Assert.Throws<HalException>(() => restorer.Restore(new SavedActuatorState(BmcAgent.LimitKind, "192.0.2.7:623", "lots")));
        Assert.Throws<HalException>(() => restorer.Restore(new SavedActuatorState(BmcAgent.ChassisKind, "192.0.2.7:623", "maybe")));
    }

    [Fact]
    public async Task A_bmc_that_stops_answering_is_counted_refuses_power_requests_keeps_no_fresh_reading_and_recovers()
    {
        var bmc = new FakeBmc();
        var agent = new BmcAgent("remote", bmc, _config, _journal, null);
        agent.Start();
        WaitUntil(() => agent.TryGetReading(out _), "a fresh reading");

        bmc.Silent = true;
        WaitUntil(() => agent.Errors >= 3, "three failed turns");
        Assert.False(agent.Reachable);
        Assert.False(agent.RequestPower(false));

        bmc.Silent = false;
        WaitUntil(() => agent.Reachable, "the BMC answering again");
        Assert.True(agent.RequestPower(false));
        WaitUntil(() => agent.ChassisOn == false, "the chassis off");
        WaitUntil(() => agent.TryGetReading(out double w) && w == 0, "the reading of a chassis off");
        await agent.StopAsync();
        Assert.True(bmc.Commands.Count(c => c.StartsWith("chassis", StringComparison.Ordinal)) == 1);
    }

    [Fact]
    public async Task A_failed_chassis_command_is_tried_again_on_the_next_turn_and_a_cancelled_one_never()
    {
        var bmc = new FakeBmc();
        var agent = new BmcAgent("remote", bmc, _config, _journal, null);
        bmc.FailChassisCommands(1);
        Assert.True(agent.RequestPower(false));
        agent.Start();
        WaitUntil(() => agent.ChassisOn == false, "the chassis off");
        Assert.Equal(1, agent.Errors);
        Assert.Equal(1, agent.ChassisCommands);
        Assert.Equal(2, bmc.Commands.Count(c => c == $"chassis {ChassisControl.SoftOff}"));
        await agent.StopAsync();

        var idle = new FakeBmc();
        var second = new BmcAgent("other", idle, _config, _journal, null);
        Assert.True(second.RequestPower(false));
        second.CancelPowerRequest();
        second.Start();
        WaitTurns(second, 3);
        await second.StopAsync();
        Assert.DoesNotContain(idle.Commands, c => c.StartsWith("chassis", StringComparison.Ordinal));
        Assert.True(idle.PowerOn);
    }

    [Fact]
    public async Task A_limit_the_bmc_refuses_is_counted_not_sent_again_until_the_cap_moves_and_the_bmc_stays_reachable()
    {
        var bmc = new FakeBmc { RefuseLimitWith = 0x84 };
        var agent = new BmcAgent("remote", bmc, _config, _journal, null);
        agent.SetDesiredCap(5000);
        agent.Start();
        WaitUntil(() => agent.Errors == 1, "the refusal");
        WaitTurns(agent, 3);
        Assert.Equal(1, agent.Errors);
        Assert.True(agent.Reachable);
        Assert.Equal(0, agent.LimitWrites);
        Assert.Single(bmc.Commands, c => c == "set-limit 5000");

        bmc.RefuseLimitWith = 0;
        agent.SetDesiredCap(300);
        WaitUntil(() => agent.LimitWrites == 1, "the accepted limit");
        await agent.StopAsync();
        Assert.Equal(300, bmc.ActiveLimit!.Value.LimitWatts);
    }

    [Fact]
    public async Task Stopped_the_loop_sends_nothing_more()
    {
        var bmc = new FakeBmc();
        var agent = new BmcAgent("remote", bmc, _config, _journal, null);
        agent.Start();
        WaitTurns(agent, 2);
        await agent.StopAsync();
        int sent = bmc.Commands.Length;
        Thread.Sleep(100);
        Assert.Equal(sent, bmc.Commands.Length);
    }

    [Theory]
    [InlineData("none", true)]
    [InlineData("250 1000 1 17", true)]
    [InlineData("250 1000 1 0", true)]
    [InlineData("250 1000 1 2", true)]    // OEM exception action 0x02, restored as found
    [InlineData("250 1000 1 16", true)]   // OEM 0x10
    [InlineData("250 1000 1 18", false)]  // 0x12: not an exception action
    [InlineData("70000 1000 1 17", false)]
    [InlineData("250 1000 1", false)]
    [InlineData("-5 1000 1 17", false)]
    [InlineData("", false)]
    public void The_journal_text_of_a_limit_round_trips_and_anything_else_is_rejected(string text, bool valid)
    {
        Assert.Equal(valid, BmcAgent.TryParseLimit(text, out PowerLimit? limit));
        if (valid)
        {
            Assert.Equal(text, BmcAgent.FormatLimit(limit));
        }
    }
}
