using System.Device.Gpio;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Hal.Simulation;
using Xunit.Abstractions;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// The hardware board's rack (tools/board/configs/hardware.json) on the host: three servers on a fake powercap tree,
/// node-a and node-b behind GPIO outlet relays (dwell 8 s, 2 toggles an hour), node-c behind an MCP23017 expander relay
/// (dwell 8 s, 1 toggle an hour), prices swinging between 350 and -40 ct/kWh every market hour, the market replayed 900x
/// (one market hour every 4 s of wall time) and the control step every 0.5 s of the injected clock, as
/// <c>RackStepDuty</c> drives it.
/// </summary>
public sealed class RelayCapPlanningTests(ITestOutputHelper output) : IDisposable
{
    private const double Acceleration = 900;
    private const double PeriodSeconds = 0.5;
    private static readonly DateTime ReplayStart = new(2024, 5, 16, 0, 0, 0, DateTimeKind.Utc);

    private readonly FakeSysfs _sysfs = new();
    private readonly ManualClock _clock = new();
    private readonly AddonChips _chips = new();
    private SimulatedGpioDriver? _gpio;

    public void Dispose() => _sysfs.Dispose();

    private static ServerConfig Server(string name, OutletConfig? outlet) => new()
    {
        Name = name, Count = 1, MinCapWatts = 100, MaxCapWatts = 300, Protected = false, BootSeconds = 60, BootEnergyWh = 1,
        MinOnHours = 1, MinOffHours = 1, MaxCyclesPerDay = 24, Outlet = outlet,
    };

    private RackController Board(int intervalMinutes)
    {
        for (int i = 0; i < 3; i++)
        {
            _sysfs.AddRaplZone($"intel-rapl:{i}", $"package-{i}", longTermUw: 300_000_000);
        }
        var config = new FirmwareConfig
        {
            NodeId = 1,
            Market = new MarketConfig { IntervalMinutes = intervalMinutes },
            Rack = new RackConfig
            {
                Hardware = "linux",
                SysfsRoot = _sysfs.Root,
                StateFile = Path.Combine(_sysfs.Root, "state", "actuators.json"),
                Cpufreq = "off",
                BudgetWatts = 2000,
                MaxTemperatureC = 90,
                MinFanDuty = 0.3,
                Servers =
                [
                    Server("node-a", new OutletConfig { Chip = "/dev/gpiochip0", Line = 0, ActiveLow = true, MinimumDwellSeconds = 8, MaxTogglesPerHour = 2 }),
                    Server("node-b", new OutletConfig { Chip = "/dev/gpiochip0", Line = 1, ActiveLow = true, MinimumDwellSeconds = 8, MaxTogglesPerHour = 2 }),
                    Server("node-c", null),
                ],
                Addons = new AddonsConfig
                {
                    Expanders =
                    [
                        new ExpanderConfig
                        {
                            Type = "mcp23017", Bus = 1, Address = 0x20,
                            Relays = [new ExpanderRelayConfig { Pin = 0, Server = "node-c", ActiveLow = true, MinimumDwellSeconds = 8, MaxTogglesPerHour = 1 }],
                        },
                    ],
                },
            },
        };
        var options = new LinuxRackOptions
        {
            Time = _clock,
            GpioDriverFactory = name => _gpio ??= new SimulatedGpioDriver(name, 8, PinValue.Low),
            I2cDeviceFactory = _chips.Factory,
        };
        return new RackController(config, 1, null, options);
    }

    private static double PriceCt(DateTime market) => market.Hour % 2 == 0 ? 350 : -40;

    /// <summary>
    /// Runs <paramref name="wallSeconds"/> of the board; returns each server's relay changes as (wall seconds, on).
    /// Prices are published one market hour ahead (the board's <c>publishAheadHours: 1</c>).
    /// </summary>
    private List<(double At, bool On)>[] Run(RackController rack, double wallSeconds)
    {
        long intervalTicks = rack.Spec.IntervalMinutes * TimeSpan.TicksPerMinute;
        var changes = new List<(double, bool)>[rack.ServerCount];
        bool[] on = new bool[rack.ServerCount];
        for (int i = 0; i < on.Length; i++)
        {
            changes[i] = [];
            on[i] = ((LinuxRack)rack.Backend).IsServerOn(i);
            Assert.True(on[i]);
        }
        for (double t = 0; t <= wallSeconds + 1e-9; t += PeriodSeconds)
        {
            if (t > 0)
            {
                _clock.Advance(TimeSpan.FromSeconds(PeriodSeconds));
            }
            DateTime market = ReplayStart.AddSeconds(t * Acceleration);
            long interval = market.Ticks / intervalTicks;
            DateTime published = market.Date.AddHours(market.Hour + 2);
            int known = (int)((published.Ticks / intervalTicks) - interval);
            double[] ahead = new double[known];
            for (int k = 0; k < known; k++)
            {
                ahead[k] = PriceCt(new DateTime((interval + k) * intervalTicks, DateTimeKind.Utc));
            }
            double step = t > 0 ? PeriodSeconds : 0;
            rack.Step(interval, market.TimeOfDay.TotalHours, ahead[0], ahead, step, step * Acceleration);
            for (int i = 0; i < on.Length; i++)
            {
                bool now = ((LinuxRack)rack.Backend).IsServerOn(i);
                if (now != on[i])
                {
                    changes[i].Add((t, now));
                    on[i] = now;
                }
            }
        }
        for (int i = 0; i < on.Length; i++)
        {
            output.WriteLine($"{rack.Spec.IntervalMinutes} min, server {i}: {changes[i].Count} changes: {string.Join(", ", changes[i].Select(c => $"{(c.Item2 ? "on" : "off")}@{c.Item1:0.0}s"))}");
        }
        return changes;
    }

    [Theory]
    [InlineData(15)]
    [InlineData(60)]
    public void A_relay_capped_at_one_toggle_an_hour_is_switched_by_the_hourly_price_swing_at_every_market_interval(int minutes)
    {
        using RackController rack = Board(minutes);
        List<(double At, bool On)>[] changes = Run(rack, 34);

        // The board's checks over its 34 s: each relay changes at least once, at most as often as its cap allows, never
        // within its 8 s dwell; node-c (1 an hour) exactly once, switched off, and still off at the end.
        for (int i = 0; i < 3; i++)
        {
            Assert.NotEmpty(changes[i]);
            Assert.True(changes[i].Count <= (i < 2 ? 2 : 1), $"server {i}: {changes[i].Count} changes");
            Assert.True(changes[i][0].At >= 8, $"server {i}: first change at {changes[i][0].At} s, inside the dwell from the take-over");
            for (int k = 1; k < changes[i].Count; k++)
            {
                Assert.True(changes[i][k].At - changes[i][k - 1].At >= 8);
            }
        }
        Assert.False(changes[2][0].On);
        Assert.False(((LinuxRack)rack.Backend).IsServerOn(2));
        Assert.True(_chips.Expander.Level(0));  // active-low: off = high
        rack.Restore();
        Assert.False(_chips.Expander.Level(0));
    }

    [Fact]
    public void Past_the_hour_the_one_an_hour_relay_follows_the_swing_again_and_never_twice_within_an_hour()
    {
        using RackController rack = Board(15);
        List<(double At, bool On)>[] changes = Run(rack, 3630);
        List<(double At, bool On)> c = changes[2];
        // Off as soon as the dwell lets it, then on again as soon as the hour since is over: the cap, not the governor,
        // sets the pace (the swing asks for a change every 4 s).
        Assert.Equal(2, c.Count);
        Assert.InRange(c[0].At, 8, 12);
        Assert.False(c[0].On);
        Assert.True(c[1].On);
        Assert.InRange(c[1].At - c[0].At, 3600, 3600 + 12);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(4, changes[i].Count);
            for (int k = 2; k < changes[i].Count; k++)
            {
                Assert.True(changes[i][k].At - changes[i][k - 2].At >= 3600, $"server {i}: 3 changes within an hour");
            }
        }
        rack.Restore();
    }
}
