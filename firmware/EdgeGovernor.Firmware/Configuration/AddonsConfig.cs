namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// The board's add-ons on I2C (<c>rack.addons</c>, <c>linux</c> hardware only): relay expanders switching servers' outlets,
/// PWM chips driving fans, inlet temperature sensors and power monitors, each at a bus and 7-bit address.
/// </summary>
internal sealed class AddonsConfig
{
    /// <summary>GPIO expanders whose pins switch PDU relays.</summary>
    public ExpanderConfig[] Expanders { get; set; } = [];

    /// <summary>PWM chips whose channels drive fans.</summary>
    public PwmChipConfig[] Pwm { get; set; } = [];

    /// <summary>Temperature sensors (e.g. the rack inlet), sampled with the board's hwmon sensors.</summary>
    public I2cSensorConfig[] Temperatures { get; set; } = [];

    /// <summary>Power monitors giving a server's draw.</summary>
    public PowerMonitorConfig[] Power { get; set; } = [];
}
