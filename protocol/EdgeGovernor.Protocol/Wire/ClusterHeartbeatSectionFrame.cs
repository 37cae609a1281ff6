using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The cluster layer's section of every heartbeat (the node carries it opaquely, see <see cref="IHeartbeatSection"/>):
/// the sender's load figures, heartbeat period and log position, the coordinator it follows, and (coordinator only)
/// the alternates in rank order, a beat number and its signature.
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="FixedSize"/> + 4·K bytes for a member, <see cref="CoordinatorSizeOf"/>(K) =
/// <see cref="FixedSize"/> + 4·K + 72 for the coordinator; longer sections are read, the rest ignored):
/// <code>
/// +-------+---------------+-------------------------------+-------+-------------------------------+
/// | flags | utilization bp|         capacity (u32)        |health |     own period (ms, u32)      |
/// +-------+---------------+-------------------------------+-------+-------------------------------+
/// |      coordinator seen (u32)   |            last log index (u64)                               |
/// +-------------------------------+---------------------------------------------------------------+
/// |            last log term (u64)                        |    commit index (u64)                 |
/// +-------+-----------------------------------------------+---------------------------------------+
/// |   K   |  K alternates (u32 each, in rank order; only in the coordinator's heartbeat)
/// +-------+----------
/// coordinator only, after the alternates:
/// +---------------------------------------------------------------+
/// |  beat number (u64, from 1 per incarnation, strictly rising)   |
/// +---------------------------------------------------------------+
/// |  signature (64 bytes, Ed25519, the coordinator's key) over the datagram prefix (SignatureFormat: type, cluster id,
/// |  sender, incarnation, header term) and the section's bytes before it (flags .. beat number)
/// +----------------------------------------------------------------
/// flags: bit 0 = the sender is the coordinator of the header's term; other bits must be 0.
/// </code>
/// The receiver verifies the signature before it uses anything of a coordinator's section and takes a beat number only
/// above the last one it took from that coordinator's incarnation, so a captured beat cannot be replayed to keep a dead
/// coordinator alive. Members' sections are not signed (they carry no authority over others; see the trust model in
/// protocol/README.md).
/// </remarks>
/// <param name="IsCoordinator">The sender coordinates the header's term.</param>
/// <param name="UtilizationBp">The sender's utilization in basis points.</param>
/// <param name="Capacity">The sender's capacity score.</param>
/// <param name="Health">0 = healthy; anything else: do not elect the sender.</param>
/// <param name="PeriodMs">The sender's own heartbeat period in milliseconds.</param>
/// <param name="CoordinatorSeen">The coordinator the sender follows (itself when it leads), or none.</param>
/// <param name="LastLogIndex">Index of the sender's last price record.</param>
/// <param name="LastLogTerm">Term of the sender's last price record.</param>
/// <param name="CommitIndex">The sender's commit index.</param>
/// <param name="AlternateCount">K, the number of alternates that follow (as read; <see cref="TryWrite"/> sets it from its argument).</param>
/// <param name="Beat">The coordinator's beat number (0 in a member's section).</param>
public readonly record struct ClusterHeartbeatSectionFrame(
    bool IsCoordinator,
    ushort UtilizationBp,
    uint Capacity,
    byte Health,
    uint PeriodMs,
    NodeId CoordinatorSeen,
    ulong LastLogIndex,
    ulong LastLogTerm,
    ulong CommitIndex,
    byte AlternateCount = 0,
    ulong Beat = 0)
{
    /// <summary>Size without alternates.</summary>
    public const int FixedSize = 41;

    /// <summary>Most alternates a section may name (<c>ElectionOptions.Alternates</c> is at most 8).</summary>
    public const int MaxAlternates = 8;

    /// <summary>The coordinator's beat number and signature after the alternates.</summary>
    public const int CoordinatorTrailer = 8 + SignatureFormat.SignatureSize;

    /// <summary>The longest signed part of a section (a coordinator's with <see cref="MaxAlternates"/>).</summary>
    public const int MaxSignedSize = FixedSize + (4 * MaxAlternates) + 8;

    /// <summary>Size of a member's section, or of a coordinator's without its trailer, with <paramref name="alternates"/> alternates.</summary>
    public static int SizeOf(int alternates) => FixedSize + (4 * alternates);

    /// <summary>Size of a coordinator's section with <paramref name="alternates"/> alternates (beat number and signature included).</summary>
    public static int CoordinatorSizeOf(int alternates) => SizeOf(alternates) + CoordinatorTrailer;

    /// <summary>The bytes of a coordinator's section that its signature covers (<see cref="TryRead"/> accepted it).</summary>
    public static ReadOnlySpan<byte> SignedPart(ReadOnlySpan<byte> section) => section[..(SizeOf(section[40]) + 8)];

    /// <summary>The signature of a coordinator's section (<see cref="TryRead"/> accepted it).</summary>
    public static ReadOnlySpan<byte> Signature(ReadOnlySpan<byte> section) => section.Slice(SizeOf(section[40]) + 8, SignatureFormat.SignatureSize);

    /// <summary>Where the signature of a coordinator's section written with <paramref name="alternates"/> alternates goes.</summary>
    public static Span<byte> SignatureArea(Span<byte> section, int alternates) => section.Slice(SizeOf(alternates) + 8, SignatureFormat.SignatureSize);

    /// <summary>
    /// Writes the section with as many of <paramref name="alternates"/> as fit in <paramref name="destination"/>
    /// (<see cref="AlternateCount"/> is ignored) and, for the coordinator, the beat number, leaving the signature's 64 bytes
    /// (<see cref="SignatureArea"/>) to the signer; false, with nothing written, when not even <see cref="FixedSize"/> bytes
    /// (coordinator: <see cref="CoordinatorSizeOf"/>(0)) fit.
    /// </summary>
    public bool TryWrite(Span<byte> destination, ReadOnlySpan<NodeId> alternates, out int written)
    {
        written = 0;
        int trailer = IsCoordinator ? CoordinatorTrailer : 0;
        if (destination.Length < FixedSize + trailer)
        {
            return false;
        }

        int k = IsCoordinator ? Math.Min(alternates.Length, (destination.Length - FixedSize - trailer) / 4) : 0;
        destination[0] = IsCoordinator ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], UtilizationBp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[3..], Capacity);
        destination[7] = Health;
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], PeriodMs);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], CoordinatorSeen.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], LastLogIndex);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], LastLogTerm);
        BinaryPrimitives.WriteUInt64BigEndian(destination[32..], CommitIndex);
        destination[40] = (byte)k;
        for (int i = 0; i < k; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[SizeOf(i)..], alternates[i].Value);
        }

        written = SizeOf(k);
        if (IsCoordinator)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination[written..], Beat);
            written += trailer;
        }

        return true;
    }

    /// <summary>
    /// Parses the fixed part; false when the section is shorter than <see cref="FixedSize"/> or than its K alternates, an
    /// unknown flag is set, K exceeds <see cref="MaxAlternates"/> or a non-coordinator names alternates, an alternate is
    /// node 0, a coordinator's section lacks its beat number (or it is 0) and signature, the last log term exceeds <see cref="WireLimits.MaxTerm"/>, or an index exceeds
    /// <see cref="WireLimits.MaxLogIndex"/>. The period is read as sent: the receiver clamps it to what it expects. Read
    /// the alternates with <see cref="ReadAlternates"/>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> section, out ClusterHeartbeatSectionFrame frame)
    {
        frame = default;
        if (section.Length < FixedSize || (section[0] & ~1) != 0 || section[40] > MaxAlternates
            || section.Length < SizeOf(section[40]) || ((section[0] & 1) == 0 && section[40] != 0))
        {
            return false;
        }

        bool coordinator = (section[0] & 1) != 0;
        ulong beat = 0;
        if (coordinator)
        {
            if (section.Length < CoordinatorSizeOf(section[40]))
            {
                return false;
            }

            beat = BinaryPrimitives.ReadUInt64BigEndian(section[SizeOf(section[40])..]);
            if (beat == 0)
            {
                return false;
            }
        }

        for (int i = 0; i < section[40]; i++)
        {
            if (BinaryPrimitives.ReadUInt32BigEndian(section[SizeOf(i)..]) == 0)
            {
                return false;
            }
        }

        if (BinaryPrimitives.ReadUInt64BigEndian(section[16..]) > WireLimits.MaxLogIndex
            || BinaryPrimitives.ReadUInt64BigEndian(section[24..]) > WireLimits.MaxTerm
            || BinaryPrimitives.ReadUInt64BigEndian(section[32..]) > WireLimits.MaxLogIndex)
        {
            return false;
        }

        frame = new ClusterHeartbeatSectionFrame(
            (section[0] & 1) != 0,
            BinaryPrimitives.ReadUInt16BigEndian(section[1..]),
            BinaryPrimitives.ReadUInt32BigEndian(section[3..]),
            section[7],
            BinaryPrimitives.ReadUInt32BigEndian(section[8..]),
            new NodeId(BinaryPrimitives.ReadUInt32BigEndian(section[12..])),
            BinaryPrimitives.ReadUInt64BigEndian(section[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(section[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(section[32..]),
            section[40],
            beat);
        return true;
    }

    /// <summary>
    /// Copies the first min(K, destination length) alternates of a section that <see cref="TryRead"/> accepted; returns
    /// how many.
    /// </summary>
    public static int ReadAlternates(ReadOnlySpan<byte> section, Span<NodeId> destination)
    {
        int k = Math.Min(section[40], destination.Length);
        for (int i = 0; i < k; i++)
        {
            destination[i] = new NodeId(BinaryPrimitives.ReadUInt32BigEndian(section[SizeOf(i)..]));
        }

        return k;
    }
}
