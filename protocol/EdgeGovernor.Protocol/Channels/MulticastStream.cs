namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// One sender incarnation's reliable ordered multicast stream as seen by one node (its own stream too).
/// Sequence numbers: everything at or below <see cref="Floor"/> is freed; (<see cref="Floor"/>,
/// <see cref="Delivered"/>] is retained for repairs; (<see cref="Delivered"/>, <see cref="Highest"/>]
/// is held back or missing. All of it lies within one <see cref="MessageRing"/> capacity.
/// </summary>
internal sealed class MulticastStream
{
    public MulticastStream(NodeId origin, ulong incarnation, bool isLocal, int capacity)
    {
        Origin = origin;
        Incarnation = incarnation;
        IsLocal = isLocal;
        Ring = new MessageRing(capacity);
    }

    public NodeId Origin { get; }

    public ulong Incarnation { get; private set; }

    public bool IsLocal { get; }

    public MessageRing Ring { get; }

    /// <summary>Delivered up to (inclusive); for the local stream: published up to.</summary>
    public ulong Delivered;

    /// <summary>Highest sequence known to exist (received or announced).</summary>
    public ulong Highest;

    /// <summary>Freed up to (inclusive).</summary>
    public ulong Floor;

    /// <summary>The stable point last announced by the origin (local stream: computed here).</summary>
    public ulong AnnouncedStable;

    /// <summary>Reports: member -> delivered up to, for this incarnation.</summary>
    public Dictionary<NodeId, ulong> Reports { get; } = new();

    /// <summary>When the next NACK for a gap is due (<see cref="MessageRing.NotArmed"/>: no timer).</summary>
    public long NackDueUs = MessageRing.NotArmed;

    /// <summary>NACK rounds since the last progress.</summary>
    public int NackRounds;

    /// <summary>Repairs scheduled by this node as a holder.</summary>
    public int PendingRepairs;

    /// <summary>True while the origin is declared failed.</summary>
    public bool OriginFailed;

    public bool HasGap => Highest > Delivered;

    /// <summary>Forgets everything and starts the stream of a new incarnation at <paramref name="start"/>.</summary>
    public int Reset(ulong incarnation, ulong start)
    {
        int freed = Ring.Count;
        Ring.Clear();
        Reports.Clear();
        Incarnation = incarnation;
        Delivered = Highest = Floor = AnnouncedStable = start;
        NackDueUs = MessageRing.NotArmed;
        NackRounds = 0;
        PendingRepairs = 0;
        OriginFailed = false;
        return freed;
    }
}
