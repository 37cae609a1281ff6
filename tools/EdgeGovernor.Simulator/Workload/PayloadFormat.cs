using System.Buffers.Binary;

namespace EdgeGovernor.Simulator.Workload;

/// <summary>
/// The application payload the simulator publishes, so that a checker can tell from a delivered
/// payload alone which message it is and whether its bytes arrived intact.
/// <code>
///  0       4        8       12               20
///  +-------+--------+-------+----------------+-----------------------------+
///  | magic | sender | life  | number (u64)   | filler: f(sender, life, n)  |
///  +-------+--------+-------+----------------+-----------------------------+
/// </code>
/// Little-endian. <c>number</c> counts a sender incarnation's published messages from 1.
/// </summary>
public static class PayloadFormat
{
    /// <summary>The smallest payload (header only).</summary>
    public const int MinBytes = 20;

    private const uint Magic = 0x50534745; // "EGSP"

    /// <summary>Writes message <paramref name="number"/> of a sender incarnation into <paramref name="destination"/> (all of it).</summary>
    public static void Write(Span<byte> destination, int sender, int life, ulong number)
    {
        if (destination.Length < MinBytes)
        {
            throw new ArgumentException($"payload needs at least {MinBytes} bytes", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], sender);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], life);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[12..], number);
        ulong x = FillerSeed(sender, life, number);
        for (int i = MinBytes; i < destination.Length; i++)
        {
            destination[i] = NextFiller(ref x);
        }
    }

    /// <summary>Reads a payload back; false if it is not one of ours or its filler is damaged.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out int sender, out int life, out ulong number)
    {
        sender = 0;
        life = 0;
        number = 0;
        if (payload.Length < MinBytes || BinaryPrimitives.ReadUInt32LittleEndian(payload) != Magic)
        {
            return false;
        }

        sender = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        life = BinaryPrimitives.ReadInt32LittleEndian(payload[8..]);
        number = BinaryPrimitives.ReadUInt64LittleEndian(payload[12..]);
        ulong x = FillerSeed(sender, life, number);
        for (int i = MinBytes; i < payload.Length; i++)
        {
            if (payload[i] != NextFiller(ref x))
            {
                return false;
            }
        }

        return true;
    }

    private static ulong FillerSeed(int sender, int life, ulong number) =>
        (number * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)sender << 32) ^ (uint)life ^ 0xA5A5A5A5A5A5A5A5UL;

    private static byte NextFiller(ref ulong x)
    {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return (byte)x;
    }
}
