namespace EdgeGovernor.TestSupport.I2c;

/// <summary>An LM75: pointer 0 temperature (two's complement, °C × 256, MSB first), 1 configuration (8-bit), 2 T_HYST, 3 T_OS.</summary>
public sealed class FakeLm75(int bus = 1, int address = 0x48) : FakeWordRegisterChip(bus, address)
{
    private readonly ushort[] _words = [0, 0, 75 << 8, 80 << 8];

    /// <summary>The temperature register's raw value.</summary>
    public ushort Raw
    {
        get => _words[0];
        set => _words[0] = value;
    }

    /// <summary>Sets the temperature (0.5 °C steps as an LM75 has them).</summary>
    public double Celsius
    {
        set => Raw = (ushort)(short)(Math.Round(value * 2) * 128);
    }

    /// <summary>The configuration register (bit 0: shutdown).</summary>
    public byte Configuration => (byte)_words[1];

    /// <inheritdoc/>
    protected override ushort ReadWord(byte register) => _words[register & 3];

    /// <inheritdoc/>
    protected override void WriteWord(byte register, ushort value, bool byteWide)
    {
        if ((register & 3) != 0)
        {
            _words[register & 3] = value;
        }
    }

    /// <inheritdoc/>
    protected override bool IsByteWide(byte register) => (register & 3) == 1;
}
