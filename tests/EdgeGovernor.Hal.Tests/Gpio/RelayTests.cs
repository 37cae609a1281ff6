using System.Device.Gpio;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Simulation;

namespace EdgeGovernor.Hal.Tests.Gpio;

/// <summary>Relays over System.Device.Gpio's GpioController, with dwell and toggle caps on an injected clock.</summary>
public sealed class RelayTests
{
    private readonly ManualClock _clock = new();

    private static (GpioController, SimulatedGpioDriver) Chip(PinValue initial)
    {
        var driver = new SimulatedGpioDriver("sim-gpiochip0", 8, initial);
        return (new GpioController(driver), driver);
    }

    [Fact]
    public void Taking_over_keeps_the_level_found_and_active_low_inverts()
    {
        (GpioController controller, SimulatedGpioDriver driver) = Chip(PinValue.Low);
        using var relay = new Relay(controller, "sim-gpiochip0", 3, "outlet-3", new RelayOptions(ActiveLow: true), _clock);
        Assert.Equal(0, driver.Writes);
        Assert.Equal(PinMode.Output, controller.GetPinMode(3));
        Assert.True(relay.ReadIsOn()); // low = on for an active-low relay
        _clock.Advance(TimeSpan.FromSeconds(30));
        relay.Switch(false);
        Assert.Equal(PinValue.High, driver.Level(3));
        Assert.False(relay.ReadIsOn());
    }

    [Fact]
    public void Active_high_drives_high_for_on()
    {
        (GpioController controller, SimulatedGpioDriver driver) = Chip(PinValue.Low);
        using var relay = new Relay(controller, "sim-gpiochip0", 0, "outlet-0", new RelayOptions(MinimumDwell: TimeSpan.FromSeconds(1)), _clock);
        Assert.False(relay.ReadIsOn());
        _clock.Advance(TimeSpan.FromSeconds(1));
        relay.Switch(true);
        Assert.Equal(PinValue.High, driver.Level(0));
    }

    [Fact]
    public void Changes_inside_the_minimum_dwell_are_refused_and_nothing_is_written()
    {
        (GpioController controller, SimulatedGpioDriver driver) = Chip(PinValue.High);
        using var relay = new Relay(controller, "sim-gpiochip0", 1, "outlet-1", new RelayOptions(MinimumDwell: TimeSpan.FromSeconds(60)), _clock);
        _clock.Advance(TimeSpan.FromSeconds(59)); // dwell counts from the take-over too
        HalException e = Assert.Throws<HalException>(() => relay.Switch(false));
        Assert.Equal(HalErrorKind.RateLimited, e.Kind);
        Assert.Contains("minimum dwell", e.Message);
        Assert.Equal(0, driver.Writes);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(1), relay.NextChangeAllowedAt());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(relay.NextChangeAllowedAt());
        relay.Switch(false);
        Assert.Equal(1, driver.Writes);
        relay.Switch(false); // already off: no toggle, not refused
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HalErrorKind.RateLimited, Assert.Throws<HalException>(() => relay.Switch(true)).Kind);
    }

    [Fact]
    public void The_toggle_cap_holds_over_any_sliding_hour()
    {
        (GpioController controller, SimulatedGpioDriver driver) = Chip(PinValue.High);
        using var relay = new Relay(controller, "sim-gpiochip0", 4, "outlet-4", new RelayOptions(MinimumDwell: TimeSpan.FromSeconds(5), MaxTogglesPerHour: 4), _clock);
        for (int i = 0; i < 4; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            relay.Switch(i % 2 == 1);
        }

        Assert.True(relay.ReadIsOn());
        _clock.Advance(TimeSpan.FromMinutes(1)); // 5 minutes in: 4 toggles in the last hour
        HalException e = Assert.Throws<HalException>(() => relay.Switch(false));
        Assert.Equal(HalErrorKind.RateLimited, e.Kind);
        Assert.Contains("cap is 4", e.Message);
        Assert.Equal(4, driver.Writes);
        // The first toggle was at minute 1: allowed again at minute 61.
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(56), relay.NextChangeAllowedAt());
        _clock.Advance(TimeSpan.FromMinutes(56) - TimeSpan.FromSeconds(1));
        Assert.Throws<HalException>(() => relay.Switch(false));
        _clock.Advance(TimeSpan.FromSeconds(1));
        relay.Switch(false);
        Assert.Equal(5, driver.Writes);
    }

    [Fact]
    public void The_controller_follows_System_Device_Gpio_and_the_relay_refuses_a_line_already_open()
    {
        (GpioController controller, SimulatedGpioDriver driver) = Chip(PinValue.Low);
        Assert.Throws<InvalidOperationException>(() => controller.Read(2)); // not open
        controller.OpenPin(2, PinMode.Input);
        controller.Write(2, PinValue.High); // an input: the controller keeps it as the level the output starts at
        Assert.Equal(PinValue.Low, driver.Level(2));
        controller.SetPinMode(2, PinMode.Output);
        Assert.Equal(PinValue.High, driver.Level(2));
        controller.Write(2, PinValue.Low);
        Assert.Equal(PinValue.Low, controller.Read(2));
        HalException e = Assert.Throws<HalException>(() => new Relay(controller, "sim-gpiochip0", 2, "x", new RelayOptions(), new ManualClock()));
        Assert.Equal(HalErrorKind.Busy, e.Kind);
        Assert.Contains("already open", e.Message);
    }

    [Fact]
    public void A_line_held_by_another_consumer_is_Busy_with_EBUSY_and_nothing_is_written()
    {
        // Two controllers over one chip, as two processes over one /dev/gpiochipN: the kernel refuses a second
        // request for a line with EBUSY; the simulated chip does the same, and the relay surfaces it typed.
        var driver = new SimulatedGpioDriver("sim-gpiochip0", 8, PinValue.High);
        using var other = new GpioController(driver);
        using var ours = new GpioController(driver);
        other.OpenPin(5, PinMode.Output, PinValue.High);

        HalException e = Assert.Throws<HalException>(() => new Relay(ours, "sim-gpiochip0", 5, "outlet-5", new RelayOptions(), _clock));

        Assert.Equal(HalErrorKind.Busy, e.Kind);
        Assert.Equal(16, e.Errno);
        Assert.Contains("EBUSY", e.Message);
        Assert.False(ours.IsPinOpen(5));
        Assert.Equal(0, driver.Writes);
        Assert.Equal(PinValue.High, driver.Level(5));

        other.ClosePin(5); // released elsewhere: the line can be taken over
        using var relay = new Relay(ours, "sim-gpiochip0", 5, "outlet-5", new RelayOptions(), _clock);
        Assert.True(relay.ReadIsOn());
    }

    [Fact]
    public void Reading_a_relay_and_its_line_through_System_Device_Gpio_allocates_nothing()
    {
        (GpioController controller, _) = Chip(PinValue.Low);
        using var relay = new Relay(controller, "sim-gpiochip0", 6, "outlet-6", new RelayOptions(), _clock);
        bool on = relay.ReadIsOn();
        AllocationAssert.NothingInSteadyState(1_000, () => on ^= relay.ReadIsOn() ^ (controller.Read(6) == PinValue.High));
        Assert.False(on);
    }
}

