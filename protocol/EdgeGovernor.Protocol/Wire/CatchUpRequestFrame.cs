using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// A follower's catch-up request to the coordinator (<see cref="MessageType.PriceAck"/>): "send me the price records from
/// index <see cref="FromIndex"/> on". Answered with <see cref="CatchUpReplyFrame"/> datagrams.
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="Size"/> = 8 bytes; longer payloads are read, the rest ignored):
/// <code>
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |                     from index (uint64)                               |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// </code>
/// </remarks>
/// <param name="FromIndex">The first index the follower lacks (its last index + 1).</param>
public readonly record struct CatchUpRequestFrame(ulong FromIndex)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = 8;

    /// <summary>Writes the request; false when <paramref name="destination"/> is too short.</summary>
    public bool TryWrite(Span<byte> destination) => BinaryPrimitives.TryWriteUInt64BigEndian(destination, FromIndex);

    /// <summary>Parses a request; false when shorter than <see cref="Size"/> or the index is not in
    /// 1..<see cref="WireLimits.MaxLogIndex"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out CatchUpRequestFrame request)
    {
        bool ok = BinaryPrimitives.TryReadUInt64BigEndian(source, out ulong from) && from is >= 1 and <= WireLimits.MaxLogIndex;
        request = new CatchUpRequestFrame(ok ? from : 0);
        return ok;
    }
}
