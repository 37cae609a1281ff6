namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The coordinator's answer to a <see cref="CatchUpRequestFrame"/> (<see cref="MessageType.PriceRecord"/>, unicast): up to
/// <see cref="MaxRecords"/> consecutive price records. A flyweight over the payload: <see cref="TryRead"/> checks the count
/// and the length, <see cref="TryGetRecord"/> parses one record at a time.
/// </summary>
/// <remarks>
/// Wire layout (network byte order, 1 + 46 × count bytes; longer payloads are read, the rest ignored):
/// <code>
/// +--------+------------------------------------+-----+------------------------------------+
/// | count  | record 1 (PriceRecordFrame, 46 B)  | ... | record count (PriceRecordFrame)    |
/// +--------+------------------------------------+-----+------------------------------------+
/// count: 0..25
/// </code>
/// </remarks>
public readonly ref struct CatchUpReplyFrame
{
    /// <summary>Most records in one reply (1 + 25 × 46 = 1151 bytes fit a datagram).</summary>
    public const int MaxRecords = 25;

    private readonly ReadOnlySpan<byte> _payload;

    private CatchUpReplyFrame(ReadOnlySpan<byte> payload) => _payload = payload;

    /// <summary>Number of records.</summary>
    public int Count => _payload[0];

    /// <summary>Encoded size of a reply with <paramref name="count"/> records.</summary>
    public static int SizeOf(int count) => 1 + (count * PriceRecordFrame.Size);

    /// <summary>Writes a reply carrying <paramref name="records"/>; false when there are more than <see cref="MaxRecords"/>
    /// or <paramref name="destination"/> is too short.</summary>
    public static bool TryWrite(Span<byte> destination, ReadOnlySpan<PriceRecordFrame> records, out int written)
    {
        written = 0;
        if (records.Length > MaxRecords || destination.Length < SizeOf(records.Length))
        {
            return false;
        }

        destination[0] = (byte)records.Length;
        for (int i = 0; i < records.Length; i++)
        {
            records[i].TryWrite(destination[SizeOf(i)..]);
        }

        written = SizeOf(records.Length);
        return true;
    }

    /// <summary>Checks the count (at most <see cref="MaxRecords"/>) and that the payload holds that many records.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out CatchUpReplyFrame reply)
    {
        reply = default;
        if (payload.IsEmpty || payload[0] > MaxRecords || payload.Length < SizeOf(payload[0]))
        {
            return false;
        }

        reply = new CatchUpReplyFrame(payload);
        return true;
    }

    /// <summary>Parses record <paramref name="i"/> (0-based, below <see cref="Count"/>); false when it is not valid
    /// (see <see cref="PriceRecordFrame.TryRead"/>).</summary>
    public bool TryGetRecord(int i, out PriceRecordFrame record)
    {
        if ((uint)i >= (uint)Count)
        {
            record = default;
            return false;
        }

        return PriceRecordFrame.TryRead(_payload[SizeOf(i)..], out record);
    }
}
