namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// Stability and retention of one multicast stream: what every member reported delivering (from heartbeats), the
/// stable point (the lowest report over every live member; a live member that has not reported blocks freeing), and
/// freeing or evicting retained messages.
/// </summary>
internal sealed class StabilityTracker
{
    private readonly MulticastStream _stream;
    private readonly MulticastContext _context;
    private readonly Dictionary<NodeId, ulong> _reports = new();

    public StabilityTracker(MulticastStream stream, MulticastContext context)
    {
        _stream = stream;
        _context = context;
    }

    /// <summary>Reports held (members of this incarnation that reported).</summary>
    public int ReportCount => _reports.Count;

    public void Clear() => _reports.Clear();

    /// <summary>Keeps the highest delivered-up-to <paramref name="reporter"/> reported.</summary>
    public void Record(NodeId reporter, ulong delivered)
    {
        if (!_reports.TryGetValue(reporter, out ulong known) || delivered > known)
        {
            _reports[reporter] = delivered;
        }
    }

    /// <summary>A member failed: it no longer holds stability back.</summary>
    public void Forget(NodeId member) => _reports.Remove(member);

    /// <summary>The lowest delivered-up-to over every live member other than this node and the origin (and our own
    /// delivered); <see cref="MulticastStream.Floor"/> while a live member has not reported.</summary>
    public ulong StablePoint()
    {
        MulticastStream stream = _stream;
        ulong min = stream.Delivered;
        IMembershipView membership = _context.Membership;
        int live = membership.LiveCount;
        for (int i = 0; i < live; i++)
        {
            NodeId member = membership.LiveMemberAt(i);
            if (member == _context.Self || member == stream.Origin)
            {
                continue;
            }

            if (!_reports.TryGetValue(member, out ulong delivered))
            {
                return stream.Floor;
            }

            min = Math.Min(min, delivered);
        }

        return min;
    }

    /// <summary>Frees the retained messages up to <paramref name="stable"/> (at most what we delivered).</summary>
    public void FreeUpTo(ulong stable) => ReleaseUpTo(Math.Min(stable, _stream.Delivered), evicted: false);

    /// <summary>Frees every retained message up to <paramref name="floor"/> (at most <see cref="MulticastStream.Delivered"/>)
    /// and moves the floor there. Every stored message lies in (Floor, Floor + capacity], so at most one ring's worth of
    /// slots is looked at, however far an announcement or an abandoned gap moved the stream (an authenticated peer
    /// announcing sequence 2^40 costs no more than one announcing 2^8).</summary>
    public void ReleaseUpTo(ulong floor, bool evicted)
    {
        MulticastStream stream = _stream;
        if (floor <= stream.Floor)
        {
            return;
        }

        ulong span = Math.Min(floor - stream.Floor, (ulong)stream.Ring.Capacity);
        for (ulong sequence = stream.Floor + 1; sequence <= stream.Floor + span; sequence++)
        {
            if (!stream.Ring.Has(sequence))
            {
                continue;
            }

            stream.Repairs.OnFreed(ref stream.Ring.SlotOf(sequence));
            stream.Ring.Free(sequence);
            _context.Counters.Retained(-1);
            if (evicted)
            {
                _context.Counters.RetentionEvictions++;
            }
        }

        stream.Floor = floor;
    }
}
