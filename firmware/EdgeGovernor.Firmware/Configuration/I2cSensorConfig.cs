namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A temperature sensor on I2C (<c>rack.addons.temperatures[]</c>).</summary>
internal sealed class I2cSensorConfig
{
    /// <summary><c>lm75</c> (0x48..0x4F), <c>mcp9808</c> (0x18..0x1F) or <c>sht3x</c> (0x44, 0x45).</summary>
    public string Type { get; set; } = "";

    /// <summary>I2C bus number.</summary>
    public int Bus { get; set; } = -1;

    /// <summary>7-bit address.</summary>
    public int Address { get; set; }

    /// <summary>Name for logs, e.g. <c>inlet</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>On an SMBus-only adapter, read it even while a kernel driver (e.g. <c>lm75</c>) is bound to it.</summary>
    public bool SharedWithKernelDriver { get; set; }
}
