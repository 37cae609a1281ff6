namespace EdgeGovernor.TestSupport.I2c;

/// <summary>A PCA9534/PCA9554: Input Port 0, Output Port 1 (power-on 0xFF), Polarity 2, Configuration 3 (bit 1 = input, power-on 0xFF).</summary>
public sealed class FakePca95x4 : FakeByteRegisterChip
{
    /// <summary>Creates the chip in its power-on state.</summary>
    public FakePca95x4(int bus = 1, int address = 0x38)
        : base(bus, address, 4)
    {
        Set(1, 0xFF);
        Set(3, 0xFF);
    }

    /// <summary>Levels driven onto input pins from outside.</summary>
    public byte Inputs { get; set; }

    /// <summary>The Output Port register.</summary>
    public byte Output => Stored(1);

    /// <summary>The Configuration register.</summary>
    public byte Configuration => Stored(3);

    /// <inheritdoc/>
    protected override byte ReadRegister(int register) => register == 0
        ? (byte)(((Output & ~Configuration) | (Inputs & Configuration)) ^ Stored(2))
        : base.ReadRegister(register);

    /// <inheritdoc/>
    protected override void WriteRegister(int register, byte value)
    {
        if (register != 0)
        {
            base.WriteRegister(register, value);
        }
    }
}
