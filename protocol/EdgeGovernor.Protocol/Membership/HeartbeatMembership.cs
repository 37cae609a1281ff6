using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Membership;

/// <summary>
/// The foundation's failure detector: a member is alive while it has been heard (any authenticated
/// datagram) within <see cref="FailureTimeoutUs"/>; a higher incarnation means it restarted. No
/// suspicion, no probes (the cluster layer adds those behind <see cref="IMembershipView"/>).
/// Allocation-free once every member has been seen.
/// </summary>
public sealed class HeartbeatMembership : IMembershipView
{
    private readonly NodeId _self;
    private readonly int _maxMembers;
    private readonly Dictionary<NodeId, int> _index = new();
    private readonly List<Member> _members = new();
    private readonly List<NodeId> _live = new();
    private readonly List<int> _livePosition = new();
    private IMembershipListener? _listener;
    private long _nextDeadline = long.MaxValue;

    /// <summary>Creates the view for <paramref name="self"/>.</summary>
    /// <exception cref="ArgumentException">Invalid id, non-positive timeout or member limit.</exception>
    public HeartbeatMembership(NodeId self, ulong selfIncarnation, long failureTimeoutUs, int maxMembers = 4096)
    {
        if (!self.IsValid)
        {
            throw new ArgumentException("The local node id must not be 0.", nameof(self));
        }

        if (failureTimeoutUs <= 0)
        {
            throw new ArgumentException($"The failure timeout must be positive (got {failureTimeoutUs} us).", nameof(failureTimeoutUs));
        }

        if (maxMembers < 1)
        {
            throw new ArgumentException($"The member limit must be at least 1 (got {maxMembers}).", nameof(maxMembers));
        }

        _self = self;
        _maxMembers = maxMembers;
        FailureTimeoutUs = failureTimeoutUs;
        Add(self, selfIncarnation, long.MaxValue / 2);
    }

    /// <summary>How long a member may stay silent before it is declared failed.</summary>
    public long FailureTimeoutUs { get; set; }

    /// <inheritdoc/>
    public long NextDeadlineUs => _nextDeadline;

    /// <inheritdoc/>
    public int LiveCount => _live.Count;

    /// <inheritdoc/>
    public NodeId LiveMemberAt(int index) => _live[index];

    /// <inheritdoc/>
    public void Attach(IMembershipListener listener) => _listener = listener;

    /// <inheritdoc/>
    public bool IsAlive(NodeId node) => _index.TryGetValue(node, out int i) && _livePosition[i] >= 0;

    /// <summary>The last incarnation heard from <paramref name="node"/> (0 when never heard).</summary>
    public ulong IncarnationOf(NodeId node) => _index.TryGetValue(node, out int i) ? _members[i].Incarnation : 0;

    /// <inheritdoc/>
    public void OnHeard(in MessageHeader header, long nowUs)
    {
        NodeId node = header.Sender;
        if (node == _self)
        {
            return;
        }

        if (!_index.TryGetValue(node, out int i))
        {
            if (_members.Count >= _maxMembers)
            {
                return;
            }

            i = Add(node, header.Incarnation, nowUs);
            _nextDeadline = Math.Min(_nextDeadline, nowUs + FailureTimeoutUs);
            _listener?.OnMemberAlive(node, header.Incarnation, nowUs);
            return;
        }

        Member m = _members[i];
        if (header.Incarnation < m.Incarnation)
        {
            return;
        }

        bool wasAlive = _livePosition[i] >= 0;
        if (header.Incarnation > m.Incarnation)
        {
            if (wasAlive)
            {
                RemoveLive(i);
                _listener?.OnMemberFailed(node, m.Incarnation, nowUs);
                wasAlive = false;
            }

            m.Incarnation = header.Incarnation;
        }

        m.LastHeardUs = Math.Max(m.LastHeardUs, nowUs);
        _members[i] = m;
        if (!wasAlive)
        {
            AddLive(i);
            _nextDeadline = Math.Min(_nextDeadline, nowUs + FailureTimeoutUs);
            _listener?.OnMemberAlive(node, m.Incarnation, nowUs);
        }
    }

    /// <inheritdoc/>
    public void Tick(long nowUs)
    {
        if (nowUs < _nextDeadline)
        {
            return;
        }

        long next = long.MaxValue;
        for (int p = _live.Count - 1; p >= 0; p--)
        {
            NodeId node = _live[p];
            if (node == _self)
            {
                continue;
            }

            int i = _index[node];
            Member m = _members[i];
            long due = m.LastHeardUs + FailureTimeoutUs;
            if (due <= nowUs)
            {
                RemoveLive(i);
                _listener?.OnMemberFailed(node, m.Incarnation, nowUs);
            }
            else
            {
                next = Math.Min(next, due);
            }
        }

        _nextDeadline = next;
    }

    private int Add(NodeId node, ulong incarnation, long nowUs)
    {
        int i = _members.Count;
        _members.Add(new Member { Id = node, Incarnation = incarnation, LastHeardUs = nowUs });
        _livePosition.Add(-1);
        _index[node] = i;
        AddLive(i);
        return i;
    }

    private void AddLive(int i)
    {
        _livePosition[i] = _live.Count;
        _live.Add(NodeIdAt(i));
    }

    private void RemoveLive(int i)
    {
        int p = _livePosition[i];
        int last = _live.Count - 1;
        NodeId moved = _live[last];
        _live[p] = moved;
        _livePosition[_index[moved]] = p;
        _live.RemoveAt(last);
        _livePosition[i] = -1;
    }

    private NodeId NodeIdAt(int i) => _members[i].Id;

    private struct Member
    {
        public NodeId Id;
        public ulong Incarnation;
        public long LastHeardUs;
    }
}
