using EdgeGovernor.Hal.Addons;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Hal.State;
using EdgeGovernor.TestSupport;
using EdgeGovernor.TestSupport.I2c;

namespace EdgeGovernor.Hal.Tests.Addons;

/// <summary>
/// Allocation of the add-ons' steady state on emulated chips: the sampler's reads of I2C sensors and power monitors run
/// every control period (a hot path: 0 B); switching an expander relay runs when the governor switches a server (rate
/// limited by dwell and toggle cap), and its figure per switch is pinned here and quoted in BENCHMARKS.md.
/// </summary>
public sealed class AddonAllocationTests
{
    [Fact]
    public void Sampling_LM75_MCP9808_and_INA219_allocates_nothing()
    {
        using I2cTemperatureSensor lm75 = I2cTemperatureSensor.Open(TemperatureSensorKind.Lm75, new FakeLm75 { Celsius = 24 }, "inlet", "i2c-1@0x48");
        using I2cTemperatureSensor mcp9808 = I2cTemperatureSensor.Open(TemperatureSensorKind.Mcp9808, new FakeMcp9808 { Celsius = 31.5 }, "exhaust", "i2c-1@0x18");
        using Ina219PowerMonitor ina = Ina219PowerMonitor.Open(new FakeIna219 { BusVolts = 12, ShuntVolts = 0.1 }, "power of web-0", "i2c-1@0x40", 0.1, 3.2);
        var sampler = new RackSampler([], [lm75, mcp9808], [ina]);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(0, sampler.Sample());
        }

        AllocationAssert.NothingInSteadyState(10_000, () => sampler.Sample());
        Assert.Equal([24000, 31500], sampler.TemperaturesMillidegrees);
        Assert.Equal(12, sampler.Electrical[0].Watts, 0);
    }

    [Fact]
    public void Reading_an_SHT3x_allocates_nothing()
    {
        using I2cTemperatureSensor sht3x = I2cTemperatureSensor.Open(TemperatureSensorKind.Sht3x, new FakeSht3x { Celsius = 22 }, "inlet", "i2c-1@0x44");
        sht3x.ReadMillidegreesCelsius();
        AllocationAssert.NothingInSteadyState(4, () => sht3x.ReadMillidegreesCelsius());  // 16 ms per measurement
    }

    [Fact]
    public void Switching_an_expander_relay_allocates_a_fixed_amount_per_switch()
    {
        using TempDir dir = new();
        var clock = new ManualClock();
        var chip = new FakeMcp23xxx(mcp23017: true);
        using I2cExpander expander = I2cExpander.Open(ExpanderKind.Mcp23017, chip, "i2c-1@0x20");
        ActuatorStateJournal journal = ActuatorStateJournal.OpenAndRecover(Path.Combine(dir.Path, "state.json"), new CompositeRestorer(), out _);
        using var relay = new ExpanderRelay(expander, 4, "outlet of web-0", new RelayOptions(false, TimeSpan.FromSeconds(1), 60), clock, journal);
        bool on = relay.ReadIsOn();
        for (int i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(61));
            on = !on;
            relay.Switch(on);
        }

        long first = BytesPerSwitch(), second = BytesPerSwitch();
        Assert.Equal(on, relay.ReadIsOn());
        // Not a sampler path (a server is switched at most maxTogglesPerHour times an hour): the figure, 136 B on .NET 10
        // x64, comes from System.Device.Gpio's GpioController and the Mcp23xxx binding; it must stay fixed and small.
        Assert.Equal(first, second);
        Assert.InRange(first, 0, 256);

        long BytesPerSwitch()
        {
            const int switches = 1000;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < switches; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(61));
                on = !on;
                relay.Switch(on);
            }

            return (GC.GetAllocatedBytesForCurrentThread() - before) / switches;
        }
    }
}
