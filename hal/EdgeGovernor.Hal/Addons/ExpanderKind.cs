namespace EdgeGovernor.Hal.Addons;

/// <summary>The I2C GPIO expanders that drive relays.</summary>
public enum ExpanderKind
{
    /// <summary>Microchip MCP23017: 16 lines (GPA0..7 = pins 0..7, GPB0..7 = pins 8..15), addresses 0x20..0x27.</summary>
    Mcp23017,

    /// <summary>Microchip MCP23008: 8 lines, addresses 0x20..0x27.</summary>
    Mcp23008,

    /// <summary>NXP/TI PCA9534/PCA9554 (the binding's Pca95x4): 8 lines, addresses 0x20..0x27 (PCA9534A/PCA9554A 0x38..0x3F).</summary>
    Pca95x4,
}
