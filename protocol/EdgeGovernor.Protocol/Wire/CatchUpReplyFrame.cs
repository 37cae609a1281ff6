namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The coordinator's answer to a <see cref="CatchUpRequestFrame"/> (<see cref="MessageType.PriceRecord"/>, unicast): up to
/// <see cref="MaxRecords"/> consecutive price records. A flyweight over the payload: <see cref="TryRead"/> checks the count
/// and the length, <see cref="TryGetRecord"/> parses one record at a time.
/// </summary>
/// <remarks>
/// Wire layout (network byte order, 1 + 114 × count bytes; longer payloads are read, the rest ignored):
/// <code>
/// +--------+------------------------------------+-----+------------------------------------+
/// | count  | record 1 (PriceRecordFrame, 114 B) | ... | record count (PriceRecordFrame)    |
/// +--------+------------------------------------+-----+------------------------------------+
/// count: 0..10
/// </code>
/// Each record carries the signature of the coordinator that made it; the receiver verifies every record before it
/// offers it to the log, whoever relays the reply.
/// </remarks>
public readonly ref struct CatchUpReplyFrame
{
    /// <summary>Most records in one reply (1 + 10 × 114 = 1141 bytes fit a datagram).</summary>
    public const int MaxRecords = 10;

    private readonly ReadOnlySpan<byte> _payload;

    private CatchUpReplyFrame(ReadOnlySpan<byte> payload) => _payload = payload;

    /// <summary>Number of records.</summary>
    public int Count => _payload[0];

    /// <summary>Encoded size of a reply with <paramref name="count"/> records.</summary>
    public static int SizeOf(int count) => 1 + (count * PriceRecordFrame.Size);

    /// <summary>Writes a reply carrying <paramref name="records"/> with zero signature areas (receivers refuse such records:
    /// for tests and fuzzing seeds); false as <see cref="TryWrite(Span{byte}, ReadOnlySpan{PriceRecordFrame}, ReadOnlySpan{byte}, out int)"/>.</summary>
    public static bool TryWrite(Span<byte> destination, ReadOnlySpan<PriceRecordFrame> records, out int written)
    {
        Span<byte> none = stackalloc byte[MaxRecords * SignatureFormat.SignatureSize];
        none.Clear();
        return TryWrite(destination, records, none, out written);
    }

    /// <summary>Writes a reply carrying <paramref name="records"/> (each with its signature, in <paramref name="signatures"/>
    /// 64 bytes apiece); false when there are more than <see cref="MaxRecords"/>, fewer signatures than records or
    /// <paramref name="destination"/> is too short.</summary>
    public static bool TryWrite(Span<byte> destination, ReadOnlySpan<PriceRecordFrame> records, ReadOnlySpan<byte> signatures, out int written)
    {
        written = 0;
        if (records.Length > MaxRecords || destination.Length < SizeOf(records.Length)
            || signatures.Length < records.Length * SignatureFormat.SignatureSize)
        {
            return false;
        }

        destination[0] = (byte)records.Length;
        for (int i = 0; i < records.Length; i++)
        {
            Span<byte> frame = destination[SizeOf(i)..];
            records[i].TryWrite(frame);
            signatures.Slice(i * SignatureFormat.SignatureSize, SignatureFormat.SignatureSize).CopyTo(PriceRecordFrame.SignatureArea(frame));
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

    /// <summary>The encoded record <paramref name="i"/> (0-based, below <see cref="Count"/>), signature included: what a
    /// receiver verifies.</summary>
    public ReadOnlySpan<byte> RecordBytes(int i) => _payload.Slice(SizeOf(i), PriceRecordFrame.Size);
}
