namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A power monitor on a server's supply (<c>rack.addons.power[]</c>): its reading is the server's draw when no BMC or PDU reading is fresh.</summary>
internal sealed class PowerMonitorConfig
{
    /// <summary><c>ina219</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>I2C bus number.</summary>
    public int Bus { get; set; } = -1;

    /// <summary>7-bit address (0x40..0x4F).</summary>
    public int Address { get; set; }

    /// <summary>Name of the server (count 1) whose draw it measures.</summary>
    public string Server { get; set; } = "";

    /// <summary>Shunt resistance, ohms (0.001..10).</summary>
    public double ShuntOhms { get; set; } = 0.1;

    /// <summary>Largest current expected, amperes (at most 0.32 V / shunt).</summary>
    public double MaxAmps { get; set; } = 3.2;
}
