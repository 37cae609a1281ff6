namespace EdgeGovernor.Hal.Addons;

/// <summary>I2C temperature sensors read through the Iot.Device bindings, with the range each can measure.</summary>
public enum TemperatureSensorKind
{
    /// <summary>NXP LM75 (and compatibles): -55..125 °C, 0.5 °C steps; addresses 0x48..0x4F.</summary>
    Lm75,

    /// <summary>Microchip MCP9808: -40..125 °C, 0.0625 °C; addresses 0x18..0x1F. Its manufacturer and device id are checked on open.</summary>
    Mcp9808,

    /// <summary>Sensirion SHT3x (temperature of the temperature/humidity pair): -40..125 °C, CRC-checked; addresses 0x44, 0x45.
    /// Needs plain I2C (its commands have no SMBus form).</summary>
    Sht3x,
}
