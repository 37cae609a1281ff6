using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// The cluster layer's failure detector behind <see cref="IMembershipView"/>: every authenticated datagram counts as
/// a sign of life; a member silent for <see cref="MembershipOptions.SuspectAfterPeriods"/> of its announced heartbeat
/// periods is suspected and probed directly every <see cref="MembershipOptions.ProbeIntervalUs"/>; only when
/// <see cref="MembershipOptions.ProbeAttempts"/> probes go unanswered is it declared failed (so one lost packet never
/// kills a member). A datagram with a higher incarnation replaces the member's old self (failed, then alive).
/// A failed member heard again with the same incarnation comes back and is counted as a false failure.
/// </summary>
/// <remarks>
/// Cost: the table is scanned at most every quarter of the shortest ordinary member period, or of the direct period
/// at the coordinator (O(n) per scan);
/// members that announce a faster period (the coordinator) are watched on their own, O(1). Allocation-free once
/// every member has been seen.
/// </remarks>
public sealed class ClusterMembership : IMembershipView
{
    private const int FastSlots = 4;

    private readonly NodeId _self;
    private readonly MembershipOptions _options;
    private readonly Dictionary<NodeId, int> _index = new();
    private readonly List<Member> _members = new();
    private readonly List<NodeId> _live = new();
    private readonly int[] _fast = new int[FastSlots];      // member indexes with a fast period (the coordinator)
    private readonly List<int> _suspects = new(64);         // member indexes being probed
    private IMembershipListener? _listener;
    private long _nextScanUs;
    private long _directWatchUs = long.MaxValue;
    private long _directSinceUs;
    private NodeId _cachedNode;    // NodeId.None (0) is never a member
    private int _cachedIndex;

    /// <summary>Creates the view of <paramref name="self"/> (which always counts as alive).</summary>
    public ClusterMembership(NodeId self, ulong selfIncarnation, MembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!self.IsValid)
        {
            throw new ArgumentException("The local node id must not be 0.", nameof(self));
        }

        _self = self;
        _options = options;
        _fast.AsSpan().Fill(-1);
        _index[self] = 0;
        _members.Add(new Member { Id = self, Incarnation = selfIncarnation, State = MemberState.Alive, LastHeardUs = long.MaxValue / 2, PeriodUs = options.MemberPeriodUs(1), LivePosition = 0 });
        _live.Add(self);
    }

    /// <summary>Where probes go (set by the cluster node once the protocol node exists).</summary>
    internal IProbeSender? ProbeSender { get; set; }

    /// <summary>Members suspected so far (each suspicion counted once).</summary>
    public long Suspicions { get; private set; }

    /// <summary>Suspicions refuted by a sign of life (the member was alive).</summary>
    public long RefutedSuspicions { get; private set; }

    /// <summary>Members declared failed.</summary>
    public long Failures { get; private set; }

    /// <summary>Members declared failed that were later heard with the same incarnation: false failure declarations.</summary>
    public long FalseFailures { get; private set; }

    /// <summary>Probes sent.</summary>
    public long ProbesSent { get; private set; }

    /// <summary>Datagrams from new members ignored because <see cref="MembershipOptions.MaxMembers"/> was reached.</summary>
    public long Overflow { get; private set; }

    /// <summary>Number of members ever seen, failed ones included, the local node included.</summary>
    public int KnownCount => _members.Count;

    /// <summary>The ordinary members' heartbeat period for the current live count.</summary>
    public long MemberPeriodUs => _options.MemberPeriodUs(Math.Max(_live.Count, ExpectedMembers));

    /// <summary>The direct member beat's period for the current live count (see <see cref="MembershipOptions.DirectPeriodUs"/>).</summary>
    public long DirectPeriodUs => _options.DirectPeriodUs(Math.Max(_live.Count, ExpectedMembers));

    /// <summary>
    /// The period of the direct beats this node expects from every member (the coordinator), or
    /// <see cref="long.MaxValue"/> when it expects none (see <see cref="WatchDirect"/>).
    /// </summary>
    public long DirectWatchPeriodUs => _directWatchUs;

    /// <summary>
    /// The coordinator expects every member's direct beat each <paramref name="periodUs"/> (<see cref="long.MaxValue"/>:
    /// none): a member whose own period is slower is suspected after <see cref="MembershipOptions.SuspectAfterPeriods"/>
    /// direct periods of silence, counted from when the watch began at the earliest (the members need one period to
    /// learn of a new coordinator), then probed as usual.
    /// </summary>
    public void WatchDirect(long periodUs, long nowUs)
    {
        if (periodUs <= 0 || periodUs == _directWatchUs)
        {
            return;
        }

        if (_directWatchUs == long.MaxValue)
        {
            _directSinceUs = nowUs;
        }

        _directWatchUs = periodUs;
        if (periodUs != long.MaxValue)
        {
            _nextScanUs = Math.Min(_nextScanUs, nowUs + Math.Max(1, periodUs / 4));
        }
    }

    /// <summary>
    /// The cluster size the heartbeat period assumes at least (the cluster node sets the roster's size), so that a
    /// cold-started node announces the right period in its very first heartbeat, before it has heard anybody.
    /// Default 1.
    /// </summary>
    public int ExpectedMembers { get; set; } = 1;

    /// <inheritdoc/>
    public long NextDeadlineUs
    {
        get
        {
            long next = _nextScanUs;
            foreach (int i in _fast)
            {
                if (i >= 0)
                {
                    next = Math.Min(next, DeadlineOf(_members[i]));
                }
            }

            foreach (int i in _suspects)
            {
                next = Math.Min(next, _members[i].NextProbeUs);
            }

            return next;
        }
    }

    /// <inheritdoc/>
    public int LiveCount => _live.Count;

    /// <inheritdoc/>
    public NodeId LiveMemberAt(int index) => _live[index];

    /// <inheritdoc/>
    public void Attach(IMembershipListener listener) => _listener = listener;

    /// <inheritdoc/>
    public bool IsAlive(NodeId node) => TryIndex(node, out int i) && _members[i].State != MemberState.Failed;

    /// <summary>The state of <paramref name="node"/>, or null when never heard.</summary>
    public MemberState? StateOf(NodeId node) => TryIndex(node, out int i) ? _members[i].State : null;

    /// <summary>The last incarnation heard from <paramref name="node"/> (0 when never heard).</summary>
    public ulong IncarnationOf(NodeId node) => TryIndex(node, out int i) ? _members[i].Incarnation : 0;

    /// <summary>The last report of <paramref name="node"/> (load, period, log position), if it ever sent one.</summary>
    internal bool TryGetReport(NodeId node, out MemberReport report)
    {
        if (TryIndex(node, out int i) && _members[i].HasReport)
        {
            report = _members[i].Report;
            return true;
        }

        report = default;
        return false;
    }

    /// <summary>Records the local node's own report (so that ranking sees it too).</summary>
    internal void SetOwnReport(in MemberReport report)
    {
        Member m = _members[0];
        m.Report = report;
        m.HasReport = true;
        _members[0] = m;
    }

    /// <inheritdoc/>
    public void OnHeard(in MessageHeader header, long nowUs) => Heard(header.Sender, header.Incarnation, nowUs);

    /// <summary>
    /// A heartbeat's report from <paramref name="node"/> (after <see cref="OnHeard"/> for the same datagram). A member
    /// announcing a period shorter than the ordinary one (the coordinator) is watched on its own.
    /// </summary>
    internal void OnReport(NodeId node, ulong incarnation, in MemberReport report)
    {
        if (!TryIndex(node, out int i) || node == _self)
        {
            return;
        }

        Member m = _members[i];
        if (m.Incarnation != incarnation)
        {
            return;
        }

        m.Report = report;
        m.HasReport = true;
        m.PeriodUs = Math.Max(1, report.PeriodUs);
        _members[i] = m;
        // Watched on its own when the quarter-period table scan would notice its silence too late (the coordinator).
        bool fast = m.PeriodUs < Math.Max(_options.MinMemberPeriodUs, MemberPeriodUs / 4);
        int slot = Array.IndexOf(_fast, i);
        if (fast && slot < 0)
        {
            slot = Array.IndexOf(_fast, -1);
            if (slot >= 0)
            {
                _fast[slot] = i;
            }
        }
        else if (!fast && slot >= 0)
        {
            _fast[slot] = -1;
        }
    }

    /// <summary>
    /// Copies the live members' candidate figures (utilization, capacity) into <paramref name="destination"/>, keeping
    /// only those for which <paramref name="include"/> holds (e.g. roster members that are healthy); returns how many.
    /// Members that never reported are skipped. Allocation-free.
    /// </summary>
    public int CopyCandidates(Span<ElectionCandidate> destination, Func<NodeId, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        int n = 0;
        foreach (NodeId id in _live)
        {
            Member m = _members[_index[id]];
            if (n < destination.Length && m.HasReport && m.Report.Health == 0 && include(id))
            {
                destination[n++] = new ElectionCandidate(id, m.Report.UtilizationBp, m.Report.Capacity);
            }
        }

        return n;
    }

    /// <inheritdoc/>
    public void Tick(long nowUs)
    {
        foreach (int i in _fast)
        {
            if (i >= 0 && _members[i].State == MemberState.Alive && nowUs >= DeadlineOf(_members[i]))
            {
                Check(i, nowUs);
            }
        }

        for (int k = _suspects.Count - 1; k >= 0; k--)
        {
            int i = _suspects[k];
            if (nowUs >= _members[i].NextProbeUs)
            {
                Check(i, nowUs); // may remove it from _suspects (declared failed)
            }
        }

        if (nowUs < _nextScanUs)
        {
            return;
        }

        for (int i = 1; i < _members.Count; i++)
        {
            if (_members[i].State == MemberState.Alive && nowUs >= DeadlineOf(_members[i]))
            {
                Check(i, nowUs);
            }
        }

        // Suspicion may come up to a quarter period late; probes and the fast members have their own deadlines.
        _nextScanUs = nowUs + Math.Max(1, Math.Min(MemberPeriodUs, _directWatchUs) / 4);
    }

    /// <summary>
    /// The member table's index of <paramref name="node"/>. Indexes never change once given, so the last answer is
    /// kept: a heartbeat looks its sender up twice (sign of life, then its report).
    /// </summary>
    private bool TryIndex(NodeId node, out int i)
    {
        if (node == _cachedNode && node.IsValid)
        {
            i = _cachedIndex;
            return true;
        }

        if (_index.TryGetValue(node, out i))
        {
            _cachedNode = node;
            _cachedIndex = i;
            return true;
        }

        return false;
    }

    private void Heard(NodeId node, ulong incarnation, long nowUs)
    {
        if (node == _self)
        {
            return;
        }

        if (!TryIndex(node, out int i))
        {
            if (_members.Count >= _options.MaxMembers)
            {
                Overflow++;
                return;
            }

            i = _members.Count;
            _index[node] = i;
            _members.Add(new Member { Id = node, Incarnation = incarnation, State = MemberState.Failed, LastHeardUs = nowUs, PeriodUs = MemberPeriodUs, LivePosition = -1 });
            MakeAlive(i, nowUs);
            return;
        }

        Member m = _members[i];
        if (incarnation < m.Incarnation)
        {
            return; // an old self's delayed datagram
        }

        if (incarnation > m.Incarnation)
        {
            if (m.State != MemberState.Failed)
            {
                MakeFailed(i, nowUs, declared: false);
                m = _members[i];
            }

            m.Incarnation = incarnation;
            m.HasReport = false;
            m.PeriodUs = MemberPeriodUs;
            m.LastHeardUs = nowUs;
            _members[i] = m;
            MakeAlive(i, nowUs);
            return;
        }

        m.LastHeardUs = Math.Max(m.LastHeardUs, nowUs);
        switch (m.State)
        {
            case MemberState.Suspected:
                m.State = MemberState.Alive;
                m.ProbesSent = 0;
                _members[i] = m;
                _suspects.Remove(i);
                RefutedSuspicions++;
                break;
            case MemberState.Failed:
                _members[i] = m;
                FalseFailures++;
                MakeAlive(i, nowUs);
                break;
            default:
                _members[i] = m;
                break;
        }
    }

    private void Check(int i, long nowUs)
    {
        Member m = _members[i];
        switch (m.State)
        {
            case MemberState.Alive:
                m.State = MemberState.Suspected;
                m.ProbesSent = 0;
                m.NextProbeUs = nowUs;
                _members[i] = m;
                _suspects.Add(i);
                Suspicions++;
                goto case MemberState.Suspected;
            case MemberState.Suspected:
                m = _members[i];
                if (nowUs < m.NextProbeUs)
                {
                    return;
                }

                if (m.ProbesSent >= _options.ProbeAttempts)
                {
                    MakeFailed(i, nowUs, declared: true);
                    return;
                }

                m.ProbesSent++;
                m.NextProbeUs = nowUs + _options.ProbeIntervalUs;
                _members[i] = m;
                ProbesSent++;
                ProbeSender?.SendProbe(m.Id, nowUs);
                return;
        }
    }

    private long DeadlineOf(in Member m) => m.State switch
    {
        MemberState.Alive when _directWatchUs < m.PeriodUs =>
            Math.Max(m.LastHeardUs, _directSinceUs) + (long)(_options.SuspectAfterPeriods * _directWatchUs),
        MemberState.Alive => m.LastHeardUs + (long)(_options.SuspectAfterPeriods * m.PeriodUs),
        MemberState.Suspected => m.NextProbeUs,
        _ => long.MaxValue,
    };

    private void MakeAlive(int i, long nowUs)
    {
        Member m = _members[i];
        m.State = MemberState.Alive;
        m.ProbesSent = 0;
        m.LivePosition = _live.Count;
        _members[i] = m;
        _live.Add(m.Id);
        _listener?.OnMemberAlive(m.Id, m.Incarnation, nowUs);
    }

    private void MakeFailed(int i, long nowUs, bool declared)
    {
        Member m = _members[i];
        int p = m.LivePosition;
        int last = _live.Count - 1;
        NodeId moved = _live[last];
        _live[p] = moved;
        int movedIndex = _index[moved];
        Member mm = _members[movedIndex];
        mm.LivePosition = p;
        _members[movedIndex] = mm;
        _live.RemoveAt(last);

        m = _members[i];
        if (m.State == MemberState.Suspected)
        {
            _suspects.Remove(i);
        }

        m.LivePosition = -1;
        m.State = MemberState.Failed;
        _members[i] = m;
        int slot = Array.IndexOf(_fast, i);
        if (slot >= 0)
        {
            _fast[slot] = -1;
        }

        if (declared)
        {
            Failures++;
        }

        _listener?.OnMemberFailed(m.Id, m.Incarnation, nowUs);
    }

    private struct Member
    {
        public NodeId Id;
        public ulong Incarnation;
        public MemberState State;
        public long LastHeardUs;
        public long PeriodUs;
        public long NextProbeUs;
        public int ProbesSent;
        public int LivePosition;
        public bool HasReport;
        public MemberReport Report;
    }
}
