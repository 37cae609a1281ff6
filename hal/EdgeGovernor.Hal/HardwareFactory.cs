using System.Device.Gpio;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Gpio.Drivers;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Hal.State;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Hal;

/// <summary>Builds the rack the firmware runs against: real hardware when configured, the simulated rack otherwise.</summary>
public static class HardwareFactory
{
    /// <summary>
    /// Builds the rack. With real hardware configured, the state journal is opened first and, if the last run
    /// crashed, everything it recorded is restored before the hardware is used (<paramref name="recovery"/>
    /// says what happened). Without hardware, a simulated rack with the curves of <paramref name="curvePath"/>.
    /// </summary>
    public static IRackHardware Create(
        HardwareOptions? options,
        string stateFile,
        string curvePath,
        ManualClock simulationClock,
        out ActuatorStateJournal journal,
        out RestoreReport recovery)
    {
        if (options is null || !options.HasHardware)
        {
            journal = ActuatorStateJournal.Open(stateFile);
            recovery = new RestoreReport(0, []);
            return SimulatedRack.FromCurveFile(curvePath, new SimulatedRackOptions(), simulationClock);
        }

        var root = new SysfsRoot(options.SysfsRoot ?? "/");
        GpioController? outlets = options.GpioChip is null ? null : new GpioController(new CharDeviceGpioDriver(options.GpioChip));
        var restorers = new List<IActuatorRestorer> { new SysfsRestorer(root) };
        if (outlets is not null)
        {
            restorers.Add(new GpioRestorer(outlets, options.GpioChip!));
        }

        journal = ActuatorStateJournal.OpenAndRecover(stateFile, new CompositeRestorer([.. restorers]), out recovery);
        var servers = new List<IServerHardware>();
        if (options.SysfsRoot is not null)
        {
            servers.Add(LinuxServerHardware.Discover(root, Environment.MachineName, journal));
        }

        return new LinuxRackHardware(servers, outlets, options.OutletLines ?? []);
    }
}
