using System.Device.Gpio;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Tests.Transport;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Policy;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// <c>rack.inputs</c> on the linux backend with hal's simulated GPIO chip as the driver: a fan tachometer counted from
/// edge callbacks into RPM, an alarm line (active level, bias, debounce) that holds the rack at its safe policy while
/// asserted, counted and logged once per assertion, and both in /status and /metrics.
/// </summary>
public sealed class OperatorInputsTests : IDisposable
{
    private readonly FakeSysfs _sysfs = new();
    private readonly ManualClock _clock = new();
    private readonly SimulatedGpioDriver _chip = new("/dev/gpiochip3", 16, PinValue.High);

    public OperatorInputsTests()
    {
        _sysfs.AddRaplZone("intel-rapl:0", "package-0", longTermUw: 100_000_000);
        _sysfs.AddHwmon(0, pwm: 200, enable: 1, milliCelsius: 45_000);
        _chip.DriveInput(2, PinValue.Low); // the tachometer line idles low; the alarm line (5) is pulled up
    }

    public void Dispose() => _sysfs.Dispose();

    private FirmwareConfig Config() => new()
    {
        NodeId = 1,
        Rack = new RackConfig
        {
            Hardware = "linux",
            SysfsRoot = _sysfs.Root,
            StateFile = Path.Combine(_sysfs.Root, "state", "actuators.json"),
            BudgetWatts = 1000,
            Servers = [new ServerConfig { Name = "pkg", Count = 1, MinCapWatts = 40, MaxCapWatts = 120 }],
            Inputs = new InputsConfig
            {
                Tachometers = [new TachometerConfig { Name = "fan-a", Chip = "/dev/gpiochip3", Line = 2, PulsesPerRevolution = 2 }],
                Alarms = [new AlarmInputConfig { Name = "door", Chip = "/dev/gpiochip3", Line = 5, ActiveLow = true, Bias = "pull-up", DebounceMs = 20 }],
            },
        },
    };

    private RackController Rack(StringWriter? log = null) =>
        new(Config(), 1, log is null ? null : new Logger("t", LogLevel.Info, log),
            new LinuxRackOptions { GpioDriverFactory = _ => _chip, Time = _clock });

    private void Step(RackController rack, double price = 20) => rack.Step(100, 14, price, 1, 1);

    [Fact]
    public void The_tachometer_counts_rising_edges_into_rpm()
    {
        using RackController rack = Rack();
        Assert.Equal(1, _chip.CallbackCount(2));
        Step(rack); // opens the first window
        _chip.Pulse(2, 40); // 40 pulses in 1 s at 2 per revolution: 20 rev/s
        _clock.Advance(TimeSpan.FromSeconds(1));
        Step(rack);
        FanTachometer tach = Assert.Single(rack.Reading.Inputs!.Tachometers);
        Assert.Equal(40, tach.Edges);
        Assert.Equal(1200, tach.Rpm, 6);
        _chip.Pulse(2, 10);
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        Step(rack); // window not complete: RPM kept
        Assert.Equal(1200, tach.Rpm, 6);
        _clock.Advance(TimeSpan.FromMilliseconds(1500));
        Step(rack);
        Assert.Equal(150, tach.Rpm, 6); // 10 pulses over 2 s
    }

    [Fact]
    public void An_asserted_alarm_holds_the_safe_policy_counted_and_logged_once_per_assertion()
    {
        var log = new StringWriter();
        using RackController rack = Rack(log);
        Assert.Equal(PinMode.InputPullUp, _chip.Mode(5));
        Assert.Equal(TimeSpan.FromMilliseconds(20), _chip.Options(5).Debounce);
        Step(rack);
        Assert.Equal(PolicyMode.Normal, rack.Reading.Mode);
        Assert.False(rack.Reading.SafePolicyHeld);

        _chip.DriveInput(5, PinValue.Low); // active-low contact closed
        Step(rack);
        Step(rack);
        Assert.True(rack.Reading.SafePolicyHeld);
        Assert.NotEqual(PolicyMode.Normal, rack.Reading.Mode); // the safe policy, though a price is in force
        AlarmInput door = Assert.Single(rack.Reading.Inputs!.Alarms);
        Assert.Equal((true, 1L), (door.Asserted, door.Assertions));
        Assert.Single(Lines(log), l => l.Contains("alarm input door asserted (assertion 1): rack held at its safe policy", StringComparison.Ordinal));

        _chip.DriveInput(5, PinValue.High);
        Step(rack);
        Assert.False(rack.Reading.SafePolicyHeld);
        Assert.Equal(PolicyMode.Normal, rack.Reading.Mode);
        Assert.Single(Lines(log), l => l.Contains("alarm input door released", StringComparison.Ordinal));
        _chip.DriveInput(5, PinValue.Low);
        Step(rack);
        Assert.Equal(2, door.Assertions);
    }

    [Fact]
    public void Inputs_show_in_status_and_metrics()
    {
        using RackController rack = Rack();
        _chip.DriveInput(5, PinValue.Low);
        _chip.Pulse(2, 3);
        Step(rack);
        var faults = new HandlerFaults(new Logger("t", LogLevel.Error, new StringWriter()));
        var snapshot = new NodeSnapshot(1, 1, [1], "127.0.0.1:1", 1000, 1, "fixed-cap",
            new EdgeGovernor.Firmware.Feeds.MarketClock(DateTime.UnixEpoch, 0, 1), new EdgeGovernor.Firmware.Feeds.PriceValidator(-50, 400), faults)
        {
            Rack = rack.Reading,
        };
        string metrics = NodeMetrics.Write(snapshot);
        Assert.Contains("edgegov_safe_policy_held 1", metrics);
        Assert.Contains("edgegov_alarm_input_asserted{name=\"door\"} 1", metrics);
        Assert.Contains("edgegov_alarm_input_assertions_total{name=\"door\"} 1", metrics);
        Assert.Contains("edgegov_fan_tachometer_edges_total{name=\"fan-a\"} 3", metrics);
        Assert.Contains("edgegov_fan_tachometer_rpm{name=\"fan-a\"} 0", metrics);
        RackStatus status = NodeStatusBuilder.Build(snapshot, new Dictionary<uint, string>()).Rack;
        Assert.True(status.Inputs!.SafePolicyHeld);
        Assert.Equal(("door", true, 1L), (status.Inputs.Alarms[0].Name, status.Inputs.Alarms[0].Asserted, status.Inputs.Alarms[0].Assertions));
        Assert.Equal(("fan-a", 3L), (status.Inputs.Tachometers[0].Name, status.Inputs.Tachometers[0].Edges));
    }

    private static string[] Lines(StringWriter log) => log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
