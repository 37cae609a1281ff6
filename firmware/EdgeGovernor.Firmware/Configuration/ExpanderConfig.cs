namespace EdgeGovernor.Firmware.Configuration;

/// <summary>An I2C GPIO expander (<c>rack.addons.expanders[]</c>).</summary>
internal sealed class ExpanderConfig
{
    /// <summary><c>mcp23017</c> (16 pins), <c>mcp23008</c> or <c>pca95x4</c> (PCA9534/PCA9554, 8 pins).</summary>
    public string Type { get; set; } = "";

    /// <summary>I2C bus number (<c>/dev/i2c-N</c>).</summary>
    public int Bus { get; set; } = -1;

    /// <summary>7-bit address (0x20..0x27; PCA95x4 also 0x38..0x3F).</summary>
    public int Address { get; set; }

    /// <summary>The relays on its pins.</summary>
    public ExpanderRelayConfig[] Relays { get; set; } = [];
}
