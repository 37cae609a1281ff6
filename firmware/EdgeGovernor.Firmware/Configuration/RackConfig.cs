namespace EdgeGovernor.Firmware.Configuration;

/// <summary>The rack: its hardware backend, PDU budget, thermal limits and servers.</summary>
internal sealed class RackConfig
{
    /// <summary>
    /// <c>simulated</c> (the embedded default) or <c>linux</c>: the board's RAPL packages (one per configured
    /// server), hwmon temperatures and fans through sysfs under <see cref="SysfsRoot"/>.
    /// </summary>
    public string Hardware { get; set; } = "simulated";

    /// <summary>Root of the kernel's file systems for <c>linux</c> ("/" on a board; a fake tree in tests).</summary>
    public string SysfsRoot { get; set; } = "/";

    /// <summary>State file of the settings found at start (<c>linux</c>): restored on stop and after a crash.</summary>
    public string StateFile { get; set; } = "/var/lib/edgegov/actuators.json";

    /// <summary>PDU budget in watts that the rack's total draw must stay under.</summary>
    public double BudgetWatts { get; set; } = 6000;

    /// <summary>Highest allowed server temperature in degrees Celsius.</summary>
    public double MaxTemperatureC { get; set; } = 85;

    /// <summary>Lowest fan duty (0..1) whatever the price says.</summary>
    public double MinFanDuty { get; set; } = 0.3;

    /// <summary>
    /// <c>linux</c>: how the board's cpufreq policies follow the RAPL caps. <c>follow-cap</c> (default; a no-op
    /// without policies) lowers each policy's <c>scaling_max_freq</c> with its package's cap; <c>off</c> leaves them alone.
    /// </summary>
    public string Cpufreq { get; set; } = "follow-cap";

    /// <summary>Inlet (cold aisle) temperature for the simulated rack, degrees Celsius.</summary>
    public double InletTemperatureC { get; set; } = 24;

    /// <summary>Add-ons on the board's I2C buses (<c>linux</c>): relay expanders, fan PWM, temperature sensors, power monitors.</summary>
    public AddonsConfig Addons { get; set; } = new();

    /// <summary>GPIO inputs: fan tachometers and maintenance/alarm lines (<c>linux</c>).</summary>
    public InputsConfig Inputs { get; set; } = new();

    /// <summary>Server groups in the rack.</summary>
    public ServerConfig[] Servers { get; set; } = [new ServerConfig { Name = "server", Count = 8 }];
}
