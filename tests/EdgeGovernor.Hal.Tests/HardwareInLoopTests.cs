using System.Device.Gpio;
using EdgeGovernor.Hal.CpuFreq;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Gpio.Drivers;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Hal.State;
using EdgeGovernor.Hal.Sysfs;
using EdgeGovernor.Hal.Tests.Support;

namespace EdgeGovernor.Hal.Tests;

/// <summary>
/// Against the real kernel of the board the tests run on. Skipped unless EDGEGOV_HIL=1; filter them out
/// entirely with --filter "Category!=Hardware". See hal/README.md for what each needs.
/// </summary>
[Trait("Category", "Hardware")]
public sealed class HardwareInLoopTests
{
    [HardwareFact]
    public void Rapl_zones_count_energy_and_their_limits_read_back()
    {
        IReadOnlyList<SysfsPowerCapZone> zones = SysfsPowerCapZone.Discover(SysfsRoot.System);
        Assert.True(zones.Count > 0, "no powercap zone under /sys/class/powercap (intel-rapl:*): load intel_rapl_msr or run on a board with RAPL");
        foreach (SysfsPowerCapZone zone in zones)
        {
            var counter = new EnergyCounter(zone.MaxEnergyRangeMicrojoules);
            counter.Update(zone.ReadEnergyMicrojoules());
            Thread.Sleep(200);
            counter.Update(zone.ReadEnergyMicrojoules());
            Assert.True(counter.TotalMicrojoules > 0, $"{zone.Id} ({zone.Name}) counted no energy in 200 ms");
            for (int k = 0; k < zone.Constraints.Count; k++)
            {
                Assert.True(zone.ReadPowerLimitMicrowatts(k) >= 0);
            }
        }
    }

    [HardwareFact]
    public void Rapl_limit_change_is_restored_by_the_journal()
    {
        string stateFile = Path.Combine(Path.GetTempPath(), $"edgegov-hil-{Environment.ProcessId}.json");
        var journal = ActuatorStateJournal.Open(stateFile);
        IReadOnlyList<SysfsPowerCapZone> zones = SysfsPowerCapZone.Discover(SysfsRoot.System, journal);
        Assert.True(zones.Count > 0, "no powercap zone under /sys/class/powercap (intel-rapl:*): load intel_rapl_msr or run on a board with RAPL");
        SysfsPowerCapZone zone = zones[0];
        long original = zone.ReadPowerLimitMicrowatts(0);
        try
        {
            zone.SetPowerLimitMicrowatts(0, Math.Max(1, original - 1_000_000));
            Assert.InRange(zone.ReadPowerLimitMicrowatts(0), original - 2_000_000, original); // the kernel rounds to its power unit
        }
        catch (HalException e) when (e.Kind == HalErrorKind.Locked)
        {
            Assert.True(zone.IsLocked);
        }
        finally
        {
            Assert.True(journal.RestoreAll(new SysfsRestorer(SysfsRoot.System)).Complete);
        }

        Assert.Equal(original, zone.ReadPowerLimitMicrowatts(0));
    }

    [HardwareFact]
    public void Cpufreq_policies_and_hwmon_sensors_read()
    {
        IReadOnlyList<SysfsCpuFreqPolicy> policies = SysfsCpuFreqPolicy.Discover(SysfsRoot.System);
        IReadOnlyList<SysfsHwmonDevice> devices = SysfsHwmonDevice.Discover(SysfsRoot.System);
        Assert.True(policies.Count > 0, "no cpufreq policy under /sys/devices/system/cpu/cpufreq");
        Assert.True(devices.Sum(d => d.Temperatures.Count + d.Fans.Count) > 0, "no hwmon fan or temperature under /sys/class/hwmon");
        foreach (SysfsCpuFreqPolicy policy in policies)
        {
            long current = policy.ReadCurrentKhz();
            Assert.InRange(current, policy.HardwareMinKhz / 2, policy.HardwareMaxKhz * 2);
            Assert.Contains(policy.ReadGovernor(), policy.AvailableGovernors);
        }

        foreach (SysfsHwmonDevice device in devices)
        {
            foreach (SysfsTemperatureSensor sensor in device.Temperatures)
            {
                Assert.InRange(sensor.ReadMillidegreesCelsius(), -40_000, 150_000);
            }

            foreach (SysfsFan fan in device.Fans.Where(f => f.HasTachometer))
            {
                Assert.InRange(fan.ReadRpm(), 0, 50_000);
            }
        }
    }

    /// <summary>Needs EDGEGOV_HIL_GPIOCHIP (e.g. /dev/gpiochip0) and EDGEGOV_HIL_GPIO_LINE: a line that is safe to toggle.</summary>
    [HardwareFact]
    public void A_relay_line_toggles_through_the_character_device_and_is_restored()
    {
        string chip = Environment.GetEnvironmentVariable("EDGEGOV_HIL_GPIOCHIP") ?? "/dev/gpiochip0";
        int line = int.Parse(Environment.GetEnvironmentVariable("EDGEGOV_HIL_GPIO_LINE") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        string stateFile = Path.Combine(Path.GetTempPath(), $"edgegov-hil-gpio-{Environment.ProcessId}.json");
        using var controller = new GpioController(new CharDeviceGpioDriver(chip, "edgegov-hil"));
        var journal = ActuatorStateJournal.Open(stateFile);
        var clock = new ManualClock();
        using var relay = new Relay(controller, chip, line, "hil", new RelayOptions(MinimumDwell: TimeSpan.FromSeconds(1)), clock, journal);
        bool found = relay.ReadIsOn();
        clock.Advance(TimeSpan.FromSeconds(1));
        relay.Switch(!found);
        Assert.Equal(!found, relay.ReadIsOn());
        Assert.True(journal.RestoreAll(new GpioRestorer(controller, chip)).Complete);
        Assert.Equal(found, relay.ReadIsOn());
    }
}
