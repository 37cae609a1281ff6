namespace EdgeGovernor.TestSupport.I2c;

/// <summary>
/// An MCP23017 (16 pins, BANK = 0: IODIRA 0x00, IODIRB 0x01, IPOL 0x02/0x03, GPIO 0x12/0x13, OLAT 0x14/0x15) or MCP23008
/// (IODIR 0x00, IPOL 0x01, GPIO 0x09, OLAT 0x0A). IODIR bit 1 = input (power-on 0xFF). Reading GPIO gives the latch on
/// outputs and <see cref="Inputs"/> on inputs; writing GPIO writes the latch.
/// </summary>
public sealed class FakeMcp23xxx : FakeByteRegisterChip
{
    private readonly bool _wide;

    /// <summary>Creates the chip in its power-on state.</summary>
    public FakeMcp23xxx(bool mcp23017, int bus = 1, int address = 0x20)
        : base(bus, address, mcp23017 ? 0x16 : 0x0B)
    {
        _wide = mcp23017;
        Set(Iodir, 0xFF);
        if (mcp23017)
        {
            Set(Iodir + 1, 0xFF);
        }
    }

    /// <summary>IODIR (port A).</summary>
    public int Iodir => 0x00;

    /// <summary>IPOL (port A).</summary>
    public int Ipol => _wide ? 0x02 : 0x01;

    /// <summary>GPIO (port A).</summary>
    public int Gpio => _wide ? 0x12 : 0x09;

    /// <summary>OLAT (port A).</summary>
    public int Olat => _wide ? 0x14 : 0x0A;

    /// <summary>Levels driven onto the input pins from outside (bit per pin).</summary>
    public ushort Inputs { get; set; }

    /// <summary>IODIR of both ports (bit 1 = input).</summary>
    public ushort Direction => (ushort)(Stored(Iodir) | (_wide ? Stored(Iodir + 1) << 8 : 0));

    /// <summary>OLAT of both ports.</summary>
    public ushort Latch => (ushort)(Stored(Olat) | (_wide ? Stored(Olat + 1) << 8 : 0));

    /// <summary>The level of a pin as seen outside the chip.</summary>
    public bool Level(int pin) => ((Direction >> pin & 1) == 1 ? Inputs >> pin : Latch >> pin) % 2 == 1;

    /// <inheritdoc/>
    protected override byte ReadRegister(int register)
    {
        if (register == Gpio || (_wide && register == Gpio + 1))
        {
            int port = register - Gpio;
            byte dir = Stored(Iodir + port);
            byte latch = Stored(Olat + port);
            byte input = (byte)(Inputs >> (8 * port));
            return (byte)((latch & ~dir) | (input & dir));
        }

        return base.ReadRegister(register);
    }

    /// <inheritdoc/>
    protected override void WriteRegister(int register, byte value)
    {
        if (register == Gpio || (_wide && register == Gpio + 1))
        {
            base.WriteRegister(Olat + (register - Gpio), value);
            return;
        }

        base.WriteRegister(register, value);
    }
}
