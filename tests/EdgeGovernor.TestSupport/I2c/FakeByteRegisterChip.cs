namespace EdgeGovernor.TestSupport.I2c;

/// <summary>A chip of 8-bit registers with an auto-incrementing pointer (MCP23xxx, PCA95x4, PCA9685).</summary>
public abstract class FakeByteRegisterChip(int bus, int address, int registers) : FakeI2cDevice(bus, address)
{
    /// <summary>The register file as written.</summary>
    protected byte[] Registers { get; } = new byte[registers];

    /// <summary>The register pointer.</summary>
    protected int Pointer { get; private set; }

    /// <summary>Value of register <paramref name="register"/> as the chip would answer a read.</summary>
    public byte this[int register] => ReadRegister(register);

    /// <summary>Sets a register directly (the chip's state before the test).</summary>
    public void Set(int register, byte value) => Registers[register] = value;

    /// <summary>The stored value of a register (what was written).</summary>
    public byte Stored(int register) => Registers[register];

    /// <inheritdoc/>
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        Pointer = data[0] % Registers.Length;
        foreach (byte b in data[1..])
        {
            WriteRegister(Pointer, b);
            Pointer = (Pointer + 1) % Registers.Length;
        }
    }

    /// <inheritdoc/>
    protected override void OnRead(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = ReadRegister(Pointer);
            Pointer = (Pointer + 1) % Registers.Length;
        }
    }

    /// <summary>What a read of <paramref name="register"/> returns.</summary>
    protected virtual byte ReadRegister(int register) => Registers[register];

    /// <summary>What a write to <paramref name="register"/> does.</summary>
    protected virtual void WriteRegister(int register, byte value) => Registers[register] = value;
}
