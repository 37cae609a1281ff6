namespace EdgeGovernor.Hal.Interop;

/// <summary>
/// The ioctl request encoding of <c>asm-generic/ioctl.h</c>, used by x86_64, arm64 and arm:
/// bits 0-7 number, 8-15 type, 16-29 size, 30-31 direction (1 write, 2 read).
/// </summary>
internal static class Ioctl
{
    internal const int NrBits = 8;
    internal const int TypeBits = 8;
    internal const int SizeBits = 14;
    internal const int NrShift = 0;
    internal const int TypeShift = NrShift + NrBits;
    internal const int SizeShift = TypeShift + TypeBits;
    internal const int DirShift = SizeShift + SizeBits;
    internal const uint Write = 1;
    internal const uint Read = 2;

    /// <summary>_IOC(dir, type, nr, size).</summary>
    internal static nuint Encode(uint direction, uint type, uint number, uint size)
    {
        if (size >= 1u << SizeBits)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "ioctl argument too large for _IOC encoding");
        }

        return (nuint)((direction << DirShift) | (size << SizeShift) | (type << TypeShift) | (number << NrShift));
    }

    /// <summary>_IOWR(type, nr, size).</summary>
    internal static nuint ReadWrite(uint type, uint number, uint size) => Encode(Read | Write, type, number, size);
}
