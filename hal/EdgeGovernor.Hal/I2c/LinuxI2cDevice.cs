using System.Device.I2c;
using System.Runtime.InteropServices;
using EdgeGovernor.Hal.Interop;
using Tmds.Linux;

namespace EdgeGovernor.Hal.I2c;

/// <summary>
/// One device on a Linux I2C bus (<c>/dev/i2c-N</c>, the <c>i2c-dev</c> module) for the Iot.Device bindings: an
/// <see cref="I2cDevice"/> whose failures are <see cref="HalException"/>s naming the bus, the address and the kernel's
/// errno (<c>ENXIO</c>: nothing at the address; <c>EREMOTEIO</c>: no acknowledge; <c>ETIMEDOUT</c>: bus timeout).
/// <para>
/// On an adapter with plain I2C (<c>I2C_FUNC_I2C</c>) every call is one <c>I2C_RDWR</c> (<see cref="WriteRead"/> a
/// combined transfer with a repeated start). On an SMBus-only adapter (<c>i2c-stub</c>, some PC controllers) the register
/// protocol of the bindings (write a register pointer, then read; or write a register and its data) is carried by the
/// SMBus transfer that puts the same bytes on the wire, chosen by <see cref="SmbusRegisterWidth"/>: a pointer write is
/// remembered and the following read becomes a byte-data, word-data or I2C-block read of that register. Other patterns
/// (a read without a pointer of more than one byte, a command-based chip like the SHT3x) are refused with
/// <see cref="HalErrorKind.Rejected"/>.
/// </para>
/// Transfers allocate nothing; at most <see cref="MaxTransferBytes"/> bytes each.
/// </summary>
public sealed unsafe class LinuxI2cDevice : I2cDevice
{
    /// <summary>Longest transfer accepted (the bindings' longest is 6 bytes).</summary>
    public const int MaxTransferBytes = 256;

    private readonly FileDescriptorHandle _fd;
    private readonly I2cConnectionSettings _settings;
    private readonly SmbusRegisterWidth _width;
    private int _pointer = -1;

    /// <summary>Opens <c>/dev/i2c-<paramref name="busId"/></c> for the device at 7-bit <paramref name="address"/>.</summary>
    /// <param name="busId">Bus number (0..1023).</param>
    /// <param name="address">7-bit address, 0x03..0x77.</param>
    /// <param name="width">Register width, used only on an SMBus-only adapter.</param>
    /// <param name="shareWithKernelDriver">On an SMBus-only adapter, talk to the address even when a kernel driver is bound to it
    /// (<c>I2C_SLAVE_FORCE</c>; e.g. reading an LM75 that <c>lm75</c> also reads). Plain I2C transfers never need it.</param>
    /// <param name="devicePath">The character device (default <c>/dev/i2c-N</c>; tests pass another).</param>
    /// <exception cref="HalException">The bus cannot be opened or does not support what the device needs.</exception>
    public LinuxI2cDevice(int busId, int address, SmbusRegisterWidth width = SmbusRegisterWidth.Byte, bool shareWithKernelDriver = false, string? devicePath = null)
    {
        I2cTarget.Validate(busId, address);
        Target = I2cTarget.Format(busId, address);
        DevicePath = devicePath ?? $"/dev/i2c-{busId}";
        _settings = new I2cConnectionSettings(busId, address);
        _width = width;
        int fd = Libc.OpenPath(Libc.ToNativePath(DevicePath), LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            throw Failure(-fd, "open");
        }

        _fd = new FileDescriptorHandle(fd);
        try
        {
            nuint funcs = 0;
            if (Libc.Ioctl(fd, I2cDev.I2C_FUNCS, &funcs) < 0)
            {
                throw Failure(Marshal.GetLastPInvokeError(), "I2C_FUNCS on");
            }

            Functionality = funcs;
            UsesSmbus = (funcs & (nuint)I2cDev.I2C_FUNC_I2C) == 0;
            if (UsesSmbus)
            {
                nuint needed = (nuint)(I2cDev.I2C_FUNC_SMBUS_WRITE_BYTE | I2cDev.I2C_FUNC_SMBUS_READ_BYTE_DATA | I2cDev.I2C_FUNC_SMBUS_WRITE_BYTE_DATA
                    | (width == SmbusRegisterWidth.Word
                        ? I2cDev.I2C_FUNC_SMBUS_READ_WORD_DATA | I2cDev.I2C_FUNC_SMBUS_WRITE_WORD_DATA
                        : I2cDev.I2C_FUNC_SMBUS_READ_I2C_BLOCK | I2cDev.I2C_FUNC_SMBUS_WRITE_I2C_BLOCK));
                if ((funcs & needed) != needed)
                {
                    throw new HalException(HalErrorKind.Rejected,
                        $"{Target}: the adapter has neither plain I2C nor the SMBus transfers of {width}-wide registers (functionality 0x{(ulong)funcs:x8})", Target);
                }

                nuint request = shareWithKernelDriver ? I2cDev.I2C_SLAVE_FORCE : I2cDev.I2C_SLAVE;
                if (Libc.Ioctl(fd, request, (void*)(nuint)address) < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    throw errno == LibC.EBUSY
                        ? new HalException(HalErrorKind.Busy, $"{Target}: a kernel driver is bound to the address (set it shared, or unbind the driver)", Target, errno)
                        : Failure(errno, "I2C_SLAVE on");
                }
            }
        }
        catch
        {
            _fd.Dispose();
            throw;
        }
    }

    /// <summary><c>i2c-{bus}@0x{address}</c>, the target named in errors.</summary>
    public string Target { get; }

    /// <summary>The character device.</summary>
    public string DevicePath { get; }

    /// <summary>The adapter's functionality mask (<c>I2C_FUNCS</c>).</summary>
    public nuint Functionality { get; }

    /// <summary>True when the adapter has no plain I2C and transfers go as SMBus transfers.</summary>
    public bool UsesSmbus { get; }

    /// <inheritdoc/>
    public override I2cConnectionSettings ConnectionSettings => _settings;

    /// <inheritdoc/>
    public override byte ReadByte()
    {
        byte value = 0;
        Read(new Span<byte>(&value, 1));
        return value;
    }

    /// <inheritdoc/>
    public override void Read(Span<byte> buffer) => Transfer([], buffer);

    /// <inheritdoc/>
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer) => Transfer(buffer, []);

    /// <inheritdoc/>
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => Transfer(writeBuffer, readBuffer);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fd.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Transfer(ReadOnlySpan<byte> write, Span<byte> read)
    {
        ObjectDisposedException.ThrowIf(_fd.IsClosed, this);
        if (write.Length > MaxTransferBytes || read.Length > MaxTransferBytes || (write.IsEmpty && read.IsEmpty))
        {
            ThrowHelper.ThrowOutOfRange(Target, $"{Target}: a transfer of {write.Length} bytes written and {read.Length} read refused (1..{MaxTransferBytes} each)");
        }

        if (UsesSmbus)
        {
            if (!write.IsEmpty)
            {
                SmbusWrite(write);
            }

            if (!read.IsEmpty)
            {
                SmbusRead(read);
            }

            return;
        }

        I2cDev.I2cMsg* msgs = stackalloc I2cDev.I2cMsg[2];
        uint count = 0;
        fixed (byte* w = write)
        fixed (byte* r = read)
        {
            if (!write.IsEmpty)
            {
                msgs[count++] = new I2cDev.I2cMsg { Addr = (ushort)_settings.DeviceAddress, Flags = 0, Len = (ushort)write.Length, Buf = w };
            }

            if (!read.IsEmpty)
            {
                msgs[count++] = new I2cDev.I2cMsg { Addr = (ushort)_settings.DeviceAddress, Flags = I2cDev.I2C_M_RD, Len = (ushort)read.Length, Buf = r };
            }

            var data = new I2cDev.RdwrIoctlData { Msgs = msgs, NMsgs = count };
            if (Libc.Ioctl(_fd.Fd, I2cDev.I2C_RDWR, &data) < 0)
            {
                throw Failure(Marshal.GetLastPInvokeError(), read.IsEmpty ? "write to" : "read from");
            }
        }
    }

    private void SmbusWrite(ReadOnlySpan<byte> write)
    {
        I2cDev.SmbusData union = default;
        byte* data = union.Block;
        _pointer = write[0];
        if (write.Length == 1)
        {
            Smbus(I2cDev.I2C_SMBUS_WRITE, write[0], I2cDev.I2C_SMBUS_BYTE, null, "pointer write to");
            return;
        }

        if (write.Length == 2)
        {
            data[0] = write[1];
            Smbus(I2cDev.I2C_SMBUS_WRITE, write[0], I2cDev.I2C_SMBUS_BYTE_DATA, data, "byte write to");
            return;
        }

        if (_width == SmbusRegisterWidth.Word && write.Length == 3)
        {
            // SMBus words go low byte first on the wire: the chip's first byte (its MSB) is the word's low byte.
            data[0] = write[1];
            data[1] = write[2];
            Smbus(I2cDev.I2C_SMBUS_WRITE, write[0], I2cDev.I2C_SMBUS_WORD_DATA, data, "word write to");
            return;
        }

        if (_width == SmbusRegisterWidth.Word || write.Length - 1 > I2cDev.I2C_SMBUS_BLOCK_MAX)
        {
            RefuseSmbus($"a write of {write.Length} bytes");
        }

        data[0] = (byte)(write.Length - 1);
        write[1..].CopyTo(new Span<byte>(data + 1, I2cDev.I2C_SMBUS_BLOCK_MAX));
        Smbus(I2cDev.I2C_SMBUS_WRITE, write[0], I2cDev.I2C_SMBUS_I2C_BLOCK_DATA, data, "block write to");
    }

    private void SmbusRead(Span<byte> read)
    {
        if (_pointer < 0)
        {
            RefuseSmbus($"a read of {read.Length} bytes without a register pointer");
        }

        I2cDev.SmbusData union = default;
        byte* data = union.Block;
        byte register = (byte)_pointer;
        if (read.Length == 1)
        {
            Smbus(I2cDev.I2C_SMBUS_READ, register, I2cDev.I2C_SMBUS_BYTE_DATA, data, "byte read from");
            read[0] = data[0];
            return;
        }

        if (_width == SmbusRegisterWidth.Word)
        {
            if (read.Length != 2)
            {
                RefuseSmbus($"a read of {read.Length} bytes from a 16-bit register");
            }

            Smbus(I2cDev.I2C_SMBUS_READ, register, I2cDev.I2C_SMBUS_WORD_DATA, data, "word read from");
            read[0] = data[0];
            read[1] = data[1];
            return;
        }

        if (read.Length > I2cDev.I2C_SMBUS_BLOCK_MAX)
        {
            RefuseSmbus($"a read of {read.Length} bytes");
        }

        data[0] = (byte)read.Length;
        Smbus(I2cDev.I2C_SMBUS_READ, register, I2cDev.I2C_SMBUS_I2C_BLOCK_DATA, data, "block read from");
        if (data[0] != read.Length)
        {
            throw new HalException(HalErrorKind.IoError, $"{Target}: block read returned {data[0]} bytes, {read.Length} asked", Target);
        }

        new ReadOnlySpan<byte>(data + 1, read.Length).CopyTo(read);
    }

    private void Smbus(byte readWrite, byte command, uint size, byte* data, string operation)
    {
        var args = new I2cDev.SmbusIoctlData { ReadWrite = readWrite, Command = command, Size = size, Data = data };
        if (Libc.Ioctl(_fd.Fd, I2cDev.I2C_SMBUS, &args) < 0)
        {
            throw Failure(Marshal.GetLastPInvokeError(), operation);
        }
    }

    private void RefuseSmbus(string what) =>
        throw new HalException(HalErrorKind.Rejected, $"{Target}: {what} has no SMBus equivalent for {_width}-wide registers, and {DevicePath} has no plain I2C", Target);

    private HalException Failure(int errno, string operation)
    {
        HalErrorKind kind = I2cDev.Classify(errno);
        return new HalException(kind, $"{operation} {Target} ({DevicePath}) failed: {I2cDev.Describe(errno)} ({kind})", Target, errno);
    }
}
