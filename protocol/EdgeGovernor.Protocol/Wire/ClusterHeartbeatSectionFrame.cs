using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The cluster layer's section of every heartbeat (the node carries it opaquely, see <see cref="IHeartbeatSection"/>):
/// the sender's load figures, heartbeat period and log position, the coordinator it follows, and (coordinator only)
/// the alternates in rank order.
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="FixedSize"/> + 4·K bytes; longer sections are read, the rest ignored):
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
/// flags: bit 0 = the sender is the coordinator of the header's term; other bits must be 0.
/// </code>
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
    byte AlternateCount = 0)
{
    /// <summary>Size without alternates.</summary>
    public const int FixedSize = 41;

    /// <summary>Most alternates a section may name (<c>ElectionOptions.Alternates</c> is at most 8).</summary>
    public const int MaxAlternates = 8;

    /// <summary>Encoded size with <paramref name="alternates"/> alternates.</summary>
    public static int SizeOf(int alternates) => FixedSize + (4 * alternates);

    /// <summary>
    /// Writes the section with as many of <paramref name="alternates"/> as fit in <paramref name="destination"/>
    /// (<see cref="AlternateCount"/> is ignored); false, with nothing written, when not even <see cref="FixedSize"/> bytes fit.
    /// </summary>
    public bool TryWrite(Span<byte> destination, ReadOnlySpan<NodeId> alternates, out int written)
    {
        written = 0;
        if (destination.Length < FixedSize)
        {
            return false;
        }

        int k = Math.Min(alternates.Length, (destination.Length - FixedSize) / 4);
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
        return true;
    }

    /// <summary>
    /// Parses the fixed part; false when the section is shorter than <see cref="FixedSize"/> or than its K alternates, an
    /// unknown flag is set, K exceeds <see cref="MaxAlternates"/> or a non-coordinator names alternates, an alternate is
    /// node 0, the last log term exceeds <see cref="WireLimits.MaxTerm"/>, or an index exceeds
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
            section[40]);
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
