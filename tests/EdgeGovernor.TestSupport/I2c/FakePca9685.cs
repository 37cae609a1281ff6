namespace EdgeGovernor.TestSupport.I2c;

/// <summary>A PCA9685: MODE1 0x00 (power-on 0x11: sleep, all-call), MODE2 0x01, LEDn_ON_L/H and OFF_L/H at 0x06 + 4n, ALL_LED at 0xFA, PRE_SCALE 0xFE (power-on 0x1E).</summary>
public sealed class FakePca9685 : FakeByteRegisterChip
{
    /// <summary>Creates the chip in its power-on state.</summary>
    public FakePca9685(int bus = 1, int address = 0x40)
        : base(bus, address, 256)
    {
        Set(0x00, 0x11);
        Set(0xFE, 0x1E);
    }

    /// <summary>Sets channel <paramref name="channel"/>'s on and off counts (0..4095; bit 12 = full on/off).</summary>
    public void SetChannel(int channel, int on, int off)
    {
        int b = 6 + 4 * channel;
        Set(b, (byte)on);
        Set(b + 1, (byte)(on >> 8));
        Set(b + 2, (byte)off);
        Set(b + 3, (byte)(off >> 8));
    }

    /// <summary>Channel <paramref name="channel"/>'s duty as the output pin sees it, 0..1.</summary>
    public double Duty(int channel)
    {
        int b = 6 + 4 * channel;
        int on = Stored(b) | Stored(b + 1) << 8;
        int off = Stored(b + 2) | Stored(b + 3) << 8;
        if ((off & 0x1000) != 0)
        {
            return 0;
        }

        if ((on & 0x1000) != 0)
        {
            return 1;
        }

        return ((off - on) & 0xFFF) / 4096.0;
    }

    /// <inheritdoc/>
    protected override void WriteRegister(int register, byte value)
    {
        if (register is >= 0xFA and <= 0xFD)
        {
            for (int channel = 0; channel < 16; channel++)
            {
                base.WriteRegister(6 + 4 * channel + (register - 0xFA), value);
            }

            return;
        }

        base.WriteRegister(register, value);
    }
}
