using System.Buffers.Binary;

namespace EdgeGovernor.Simulator.Engine;

/// <summary>
/// The running hash behind <see cref="Simulation.TraceHash"/>: every processed event, every sent datagram's bytes, every
/// delivery and observation is mixed in, in the order it happens, so equal runs give equal values.
/// </summary>
internal sealed class TraceHasher
{
    /// <summary>The hash of everything mixed in so far.</summary>
    public ulong Value { get; private set; } = 0xCBF29CE484222325UL;

    /// <summary>Mixes one value into the hash.</summary>
    public void Mix(ulong value)
    {
        ulong h = (Value ^ (value * 0x9E3779B97F4A7C15UL)) * 0xBF58476D1CE4E5B9UL;
        Value = ulong.RotateLeft(h, 29) ^ (h >> 31);
    }

    /// <summary>A 64-bit hash of a datagram's bytes (eight at a time, then the tail), to be mixed in.</summary>
    public static ulong HashBytes(ReadOnlySpan<byte> bytes)
    {
        ulong h = 0x84222325CBF29CE4UL ^ (ulong)bytes.Length;
        while (bytes.Length >= 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * 0x100000001B3UL;
            h ^= h >> 29;
            bytes = bytes[8..];
        }

        foreach (byte b in bytes)
        {
            h = (h ^ b) * 0x100000001B3UL;
        }

        return h;
    }
}
