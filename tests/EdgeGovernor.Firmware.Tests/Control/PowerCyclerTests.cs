using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Policy;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// <see cref="PowerCycler"/> on the simulated rack: when a power-on decided in an interval starts its boot, also when
/// the decision comes with no more than the boot's time left (few control periods per interval, a late plan).
/// </summary>
public sealed class PowerCyclerTests
{
    private const double Quarter = 900;

    private static FirmwareConfig Config() => new()
    {
        NodeId = 1,
        Rack = new RackConfig
        {
            BudgetWatts = 1000,
            Servers = [new ServerConfig { Name = "spare", Count = 1, MinCapWatts = 100, MaxCapWatts = 300, Protected = false, BootSeconds = 60 }],
        },
        PriceFeed = new PriceFeedConfig { Acceleration = 900 },
    };

    private static (int Offs, int Ons) Execute(PowerCycler cycler, ServerSlot[] slots, PowerCommand command, long interval, double secondsIntoInterval, double period) =>
        cycler.Execute(slots, [new ServerSetpoint { Command = command }], interval, ((interval * Quarter) + secondsIntoInterval) / 3600 % 24, Quarter, period, 10);

    [Fact]
    public void A_power_on_decided_in_the_last_period_of_an_interval_boots_at_once_and_serves_from_the_next()
    {
        using var backend = new SimulatedRackBackend(Config(), null);
        var cycler = new PowerCycler(backend, null);
        ServerSlot[] slots = [ServerSlot.Create("spare-0", 100, 300, 60, powered: false)];

        // 900x with a 0.5 s period: 450 s of market time per step, two steps per quarter-hour. Decided in the second
        // step, the boot (60 s + two periods) is due already: no later step of this interval would start it.
        Assert.Equal((0, 1), Execute(cycler, slots, PowerCommand.PowerOn, 40, 450, 450));
        Assert.True(slots[0].BootIssued && slots[0].Powered);
        slots[0].CompleteSwitchBefore(41, 96);
        Assert.True(slots[0].Up);
        Assert.Equal(40, slots[0].Since);
    }

    [Fact]
    public void A_power_on_decided_early_in_the_interval_waits_until_its_boot_is_due()
    {
        using var backend = new SimulatedRackBackend(Config(), null);
        var cycler = new PowerCycler(backend, null);
        ServerSlot[] slots = [ServerSlot.Create("spare-0", 100, 300, 60, powered: false)];

        // 60 s periods: due when 60 s + 120 s are left, at 720 s into the quarter-hour.
        Assert.Equal((0, 0), Execute(cycler, slots, PowerCommand.PowerOn, 40, 0, 60));
        Assert.False(slots[0].BootIssued || slots[0].Powered);
        Assert.Equal((0, 0), Execute(cycler, slots, PowerCommand.PowerOn, 40, 660, 60));
        Assert.Equal((0, 1), Execute(cycler, slots, PowerCommand.PowerOn, 40, 720, 60));
        Assert.True(slots[0].BootIssued && slots[0].Powered);
        Assert.Equal((0, 0), Execute(cycler, slots, PowerCommand.PowerOn, 40, 780, 60));  // started once
    }
}
