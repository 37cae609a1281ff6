namespace EdgeGovernor.TestSupport.I2c;

/// <summary>
/// A chip of 16-bit registers sent MSB first behind a pointer register (LM75, MCP9808, INA219): a write of 3 bytes sets
/// a register, of 2 bytes an 8-bit register, a read returns the register at the pointer MSB first.
/// </summary>
public abstract class FakeWordRegisterChip(int bus, int address) : FakeI2cDevice(bus, address)
{
    /// <summary>The register pointer.</summary>
    public byte Pointer { get; private set; }

    /// <inheritdoc/>
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        Pointer = data[0];
        if (data.Length == 2)
        {
            WriteWord(Pointer, data[1], byteWide: true);
        }
        else if (data.Length >= 3)
        {
            WriteWord(Pointer, (ushort)(data[1] << 8 | data[2]), byteWide: false);
        }
    }

    /// <inheritdoc/>
    protected override void OnRead(Span<byte> buffer)
    {
        ushort word = ReadWord(Pointer);
        if (buffer.Length == 1)
        {
            buffer[0] = IsByteWide(Pointer) ? (byte)word : (byte)(word >> 8);
            return;
        }

        buffer[0] = (byte)(word >> 8);
        buffer[1] = (byte)word;
        buffer[2..].Clear();
    }

    /// <summary>The register's value.</summary>
    protected abstract ushort ReadWord(byte register);

    /// <summary>Writes a register (<paramref name="byteWide"/>: an 8-bit register was written).</summary>
    protected abstract void WriteWord(byte register, ushort value, bool byteWide);

    /// <summary>True for the chip's 8-bit registers.</summary>
    protected virtual bool IsByteWide(byte register) => false;
}
