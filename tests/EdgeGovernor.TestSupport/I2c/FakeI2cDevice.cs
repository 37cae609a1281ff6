using System.Device.I2c;

namespace EdgeGovernor.TestSupport.I2c;

/// <summary>
/// A System.Device.I2c device emulated in memory for the Iot.Device bindings: every transfer is recorded
/// (<see cref="Transfers"/>) and may be made to fail (<see cref="Failure"/>: e.g. a <c>HalException</c> with ENXIO as
/// <c>LinuxI2cDevice</c> throws it, or an <see cref="IOException"/> as another device would). Subclasses emulate a chip's
/// register map: a write sets the register pointer (first byte) and writes the rest; a read continues at the pointer.
/// </summary>
public abstract class FakeI2cDevice(int bus, int address) : I2cDevice
{
    private readonly I2cConnectionSettings _settings = new(bus, address);

    /// <summary>Thrown by every transfer while set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Transfers so far (a <see cref="WriteRead"/> counts once).</summary>
    public int Transfers { get; private set; }

    /// <summary>True once disposed.</summary>
    public bool Disposed { get; private set; }

    /// <inheritdoc/>
    public override I2cConnectionSettings ConnectionSettings => _settings;

    /// <inheritdoc/>
    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    /// <inheritdoc/>
    public override void Read(Span<byte> buffer)
    {
        Begin();
        OnRead(buffer);
    }

    /// <inheritdoc/>
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Begin();
        OnWrite(buffer);
    }

    /// <inheritdoc/>
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Begin();
        OnWrite(writeBuffer);
        OnRead(readBuffer);
    }

    /// <summary>A write on the wire (first byte: register or command).</summary>
    protected abstract void OnWrite(ReadOnlySpan<byte> data);

    /// <summary>A read on the wire.</summary>
    protected abstract void OnRead(Span<byte> buffer);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    private void Begin()
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Transfers++;
        if (Failure is { } e)
        {
            throw e;
        }
    }
}
