namespace EdgeGovernor.TestSupport.I2c;

/// <summary>
/// An MCP9808: configuration 0x01, ambient temperature 0x05 (bits 12..0: two's complement °C × 16, bit 12 sign; bits 15..13
/// alert flags), manufacturer id 0x06 (0x0054), device id/revision 0x07 (0x0400), resolution 0x08 (8-bit, power-on 3).
/// </summary>
public sealed class FakeMcp9808(int bus = 1, int address = 0x18) : FakeWordRegisterChip(bus, address)
{
    private readonly ushort[] _words = new ushort[9];

    /// <summary>Manufacturer id reported (0x0054 for Microchip).</summary>
    public ushort ManufacturerId { get; set; } = 0x0054;

    /// <summary>The ambient temperature register's raw value.</summary>
    public ushort Raw { get; set; }

    /// <summary>Sets the temperature (0.0625 °C steps).</summary>
    public double Celsius
    {
        set => Raw = (ushort)((int)Math.Round(value * 16) & 0x1FFF);
    }

    /// <inheritdoc/>
    protected override ushort ReadWord(byte register) => register switch
    {
        0x05 => Raw,
        0x06 => ManufacturerId,
        0x07 => 0x0400,
        0x08 => (ushort)(_words[8] == 0 ? 3 : _words[8]),
        _ => register < _words.Length ? _words[register] : (ushort)0,
    };

    /// <inheritdoc/>
    protected override void WriteWord(byte register, ushort value, bool byteWide)
    {
        if (register is 0x01 or 0x02 or 0x03 or 0x04 or 0x08)
        {
            _words[register] = value;
        }
    }

    /// <inheritdoc/>
    protected override bool IsByteWide(byte register) => register == 0x08;
}
