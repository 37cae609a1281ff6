using System.Runtime.InteropServices;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Interop;

/// <summary>
/// The i2c-dev character device (<c>/dev/i2c-N</c>, <c>linux/i2c-dev.h</c>, <c>linux/i2c.h</c>): request numbers are plain
/// values (not <c>_IOC</c>-encoded), the same on every architecture; the structs hold pointers, so their layout follows
/// the process's pointer size (16 bytes on LP64, 12 or 8 on ILP32), which <see cref="StructLayoutAttribute"/> sequential
/// layout gives.
/// </summary>
internal static class I2cDev
{
    /// <summary>Sets the target address (7-bit) for <c>read</c>/<c>write</c> and SMBus transfers.</summary>
    internal const nuint I2C_SLAVE = 0x0703;

    /// <summary>Reads the adapter's functionality mask (<c>unsigned long</c>).</summary>
    internal const nuint I2C_FUNCS = 0x0705;

    /// <summary>As <see cref="I2C_SLAVE"/>, even when a kernel driver is bound to the address.</summary>
    internal const nuint I2C_SLAVE_FORCE = 0x0706;

    /// <summary>Combined read/write transfer (<see cref="RdwrIoctlData"/>).</summary>
    internal const nuint I2C_RDWR = 0x0707;

    /// <summary>One SMBus transfer (<see cref="SmbusIoctlData"/>).</summary>
    internal const nuint I2C_SMBUS = 0x0720;

    /// <summary>Plain I2C transfers (I2C_RDWR) are supported.</summary>
    internal const ulong I2C_FUNC_I2C = 0x00000001;
    internal const ulong I2C_FUNC_SMBUS_WRITE_BYTE = 0x00040000;
    internal const ulong I2C_FUNC_SMBUS_READ_BYTE_DATA = 0x00080000;
    internal const ulong I2C_FUNC_SMBUS_WRITE_BYTE_DATA = 0x00100000;
    internal const ulong I2C_FUNC_SMBUS_READ_WORD_DATA = 0x00200000;
    internal const ulong I2C_FUNC_SMBUS_WRITE_WORD_DATA = 0x00400000;
    internal const ulong I2C_FUNC_SMBUS_READ_I2C_BLOCK = 0x04000000;
    internal const ulong I2C_FUNC_SMBUS_WRITE_I2C_BLOCK = 0x08000000;

    /// <summary><c>i2c_msg.flags</c>: this message reads.</summary>
    internal const ushort I2C_M_RD = 0x0001;

    internal const byte I2C_SMBUS_WRITE = 0;
    internal const byte I2C_SMBUS_READ = 1;

    internal const uint I2C_SMBUS_BYTE = 1;
    internal const uint I2C_SMBUS_BYTE_DATA = 2;
    internal const uint I2C_SMBUS_WORD_DATA = 3;
    internal const uint I2C_SMBUS_I2C_BLOCK_DATA = 8;

    /// <summary>Largest SMBus block (<c>I2C_SMBUS_BLOCK_MAX</c>).</summary>
    internal const int I2C_SMBUS_BLOCK_MAX = 32;

    /// <summary>Most messages in one I2C_RDWR (<c>I2C_RDWR_IOCTL_MAX_MSGS</c>).</summary>
    internal const int I2C_RDWR_IOCTL_MAX_MSGS = 42;

    /// <summary><c>struct i2c_msg</c>: <c>__u16 addr, flags, len; __u8 *buf</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct I2cMsg
    {
        public ushort Addr;
        public ushort Flags;
        public ushort Len;
        public byte* Buf;
    }

    /// <summary><c>struct i2c_rdwr_ioctl_data</c>: <c>struct i2c_msg *msgs; __u32 nmsgs</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct RdwrIoctlData
    {
        public I2cMsg* Msgs;
        public uint NMsgs;
    }

    /// <summary><c>struct i2c_smbus_ioctl_data</c>: <c>__u8 read_write, command; __u32 size; union i2c_smbus_data *data</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct SmbusIoctlData
    {
        public byte ReadWrite;
        public byte Command;
        public uint Size;
        public byte* Data;
    }

    /// <summary>
    /// <c>union i2c_smbus_data</c>: <c>__u8 byte; __u16 word; __u8 block[I2C_SMBUS_BLOCK_MAX + 2]</c> (a block transfer's
    /// length in <c>block[0]</c>, then up to 32 bytes), 34 bytes.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = I2C_SMBUS_BLOCK_MAX + 2)]
    internal unsafe struct SmbusData
    {
        [FieldOffset(0)] public byte Byte;
        [FieldOffset(0)] public ushort Word;
        [FieldOffset(0)] public fixed byte Block[I2C_SMBUS_BLOCK_MAX + 2];
    }

    /// <summary>
    /// Maps an i2c-dev errno to what the control loop can act on: a missing acknowledge (<c>EREMOTEIO</c>) is an I/O
    /// error, a bus timeout (<c>ETIMEDOUT</c>: clock stretched too long, arbitration lost repeatedly) is busy.
    /// </summary>
    internal static HalErrorKind Classify(int errno) =>
        errno == LibC.ETIMEDOUT ? HalErrorKind.Busy
        : errno == LibC.EREMOTEIO ? HalErrorKind.IoError
        : Errno.Classify(errno);

    /// <summary>The symbolic name of an errno, for messages, with what it means on an I2C bus.</summary>
    internal static string Describe(int errno) =>
        errno == LibC.EREMOTEIO ? "EREMOTEIO (no acknowledge)"
        : errno == LibC.ENXIO ? "ENXIO (no device answers at this address)"
        : Errno.Describe(errno);
}
