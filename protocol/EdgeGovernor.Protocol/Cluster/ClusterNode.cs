using System.Buffers.Binary;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// One node with the cluster layer: a <see cref="ProtocolNode"/> whose failure detector is
/// <see cref="ClusterMembership"/>, plus the power-aware election (<see cref="ElectionState"/>) and the replicated price
/// log (<see cref="PriceLog"/>), plugged in through the node's extension seam. Sans-IO like the node: drive it with
/// <see cref="Receive"/>, <see cref="Tick"/> and <see cref="NextDeadlineUs"/>.
/// </summary>
/// <remarks>
/// <para>Heartbeat section (network byte order, 41 + 4·K bytes):
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
/// flags: bit 0 = the sender is the coordinator of the header's term.
/// </code></para>
/// <para>Other messages: vote and pre-vote requests and responses (<see cref="VoteRequest"/>, <see cref="VoteResponse"/>)
/// as single datagrams; <see cref="MessageType.Probe"/> / <see cref="MessageType.ProbeAck"/> (empty); price records
/// (<see cref="PriceRecord"/>) on the reliable multicast channel <see cref="ClusterOptions.PriceChannel"/>;
/// catch-up: <see cref="MessageType.PriceAck"/> carries "send me records from index i" (u64) to the coordinator,
/// which answers with one <see cref="MessageType.PriceRecord"/> datagram of up to 25 records (count u8, then records).</para>
/// </remarks>
public sealed class ClusterNode : IProtocolComponent, IHeartbeatSection, IElectionOutput, IProbeSender, IMembershipListener, IDisposable
{
    private const int SectionFixed = 41;
    private const int MaxCatchUpRecords = 25;
    private const int MaxCatchUpDatagrams = 8;

    private readonly ClusterOptions _options;
    private readonly IDeliveryHandler? _handler;
    private readonly byte[] _buffer = new byte[WireCodec.MaxPayload];
    private readonly ulong[] _matched;
    private readonly ElectionCandidate[] _candidates;
    private readonly NodeId[] _alternates;
    private readonly NodeId[] _fastPeers;
    private int _fastPeerCount;
    private readonly IRandomSource _random;
    private NodeId _directPeer;        // the coordinator this member beats directly, or None
    private long _directPeriodUs;
    private readonly PriceRecord[] _catchUp = new PriceRecord[MaxCatchUpRecords];
    private readonly Func<NodeId, bool> _isVoter;
    private ushort _utilizationBp;
    private uint _capacity;
    private byte _health;
    private long _nextRankRefreshUs;
    private long _lastCatchUpUs = long.MinValue / 2;
    private long _lastNowUs;

    /// <summary>Builds the protocol node with the cluster layer and starts the election timers (a cold start).</summary>
    /// <param name="options">Cluster configuration.</param>
    /// <param name="nodeOptions">The protocol node's configuration.</param>
    /// <param name="sink">Where datagrams go.</param>
    /// <param name="handler">Where deliveries, membership and leadership changes go.</param>
    /// <param name="random">Randomness.</param>
    /// <param name="votes">Durable term and vote (file with fsync in the firmware, memory in the simulator).</param>
    /// <param name="nowUs">The current monotonic time.</param>
    public ClusterNode(ClusterOptions options, NodeOptions nodeOptions, IDatagramSink sink, IDeliveryHandler handler, IRandomSource random, IVoteStore votes, long nowUs)
        : this(CreateNode(options, nodeOptions, sink, handler, random, nowUs), options, handler, random, votes, nowUs)
    {
    }

    private ClusterNode(ProtocolNode node, ClusterOptions options, IDeliveryHandler? handler, IRandomSource random, IVoteStore votes, long nowUs)
    {
        ArgumentNullException.ThrowIfNull(votes);
        ArgumentNullException.ThrowIfNull(random);
        _options = options;
        _handler = handler;
        _random = random;
        Node = node;
        Membership = node.Membership as ClusterMembership
            ?? throw new ArgumentException("The protocol node must be built with a ClusterMembership (see CreateMembership).", nameof(node));
        Membership.ProbeSender = this;
        NodeOptions nodeOptions = node.Options;
        Log = new PriceLog(options.PriceLogCapacity);
        NodeId[] roster = [.. options.Roster];
        Election = new ElectionState(nodeOptions.Node, roster, options.Election, votes, random, this, Log);
        _isVoter = Election.IsInRoster;
        _matched = new ulong[Election.Roster.Length];
        _candidates = new ElectionCandidate[options.Membership.MaxMembers];
        _alternates = new NodeId[Math.Max(1, options.Election.Alternates)];
        _fastPeers = new NodeId[2 * _alternates.Length];

        Node.RegisterMessageType(MessageType.VoteRequest, this);
        Node.RegisterMessageType(MessageType.PreVoteRequest, this);
        Node.RegisterMessageType(MessageType.VoteResponse, this);
        Node.RegisterMessageType(MessageType.PreVoteResponse, this);
        Node.RegisterMessageType(MessageType.Probe, this);
        Node.RegisterMessageType(MessageType.ProbeAck, this);
        Node.RegisterMessageType(MessageType.PriceAck, this);
        Node.RegisterMessageType(MessageType.PriceRecord, this);
        Node.RegisterChannel(options.PriceChannel, this);
        Node.HeartbeatSection = this;
        Node.Term = Election.CurrentTerm;
        Membership.ExpectedMembers = roster.Length;
        Node.HeartbeatIntervalUs = Membership.MemberPeriodUs;
        Node.HeartbeatJitter = options.Membership.HeartbeatJitter;

        RefreshRank();
        Election.Start(nowUs);
        _lastNowUs = nowUs;
    }

    /// <summary>
    /// Plugs the cluster layer into an existing node (the simulator builds its nodes itself). The node must have been
    /// built with the failure detector from <see cref="CreateMembership"/>, and nothing else may have registered the
    /// cluster message types, <see cref="ClusterOptions.PriceChannel"/> or the heartbeat section.
    /// </summary>
    /// <param name="node">The protocol node.</param>
    /// <param name="options">Cluster configuration.</param>
    /// <param name="random">Randomness.</param>
    /// <param name="votes">Durable term and vote.</param>
    /// <param name="nowUs">The current monotonic time.</param>
    /// <param name="leadershipHandler">Receives <see cref="IDeliveryHandler.OnLeadershipChanged"/> (the node's own handler
    /// cannot be reached from here), or null.</param>
    public static ClusterNode Attach(ProtocolNode node, ClusterOptions options, IRandomSource random, IVoteStore votes, long nowUs, IDeliveryHandler? leadershipHandler = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new ClusterNode(node, options, leadershipHandler, random, votes, nowUs);
    }

    /// <summary>The failure detector a protocol node must be built with to carry the cluster layer.</summary>
    public static ClusterMembership CreateMembership(NodeOptions nodeOptions, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(nodeOptions);
        ArgumentNullException.ThrowIfNull(options);
        return new ClusterMembership(nodeOptions.Node, nodeOptions.Incarnation, options.Membership);
    }

    private static ProtocolNode CreateNode(ClusterOptions options, NodeOptions nodeOptions, IDatagramSink sink, IDeliveryHandler handler, IRandomSource random, long nowUs)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(nodeOptions);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        return new ProtocolNode(nodeOptions, sink, handler, random, nowUs, CreateMembership(nodeOptions, options));
    }

    /// <summary>The protocol node (channels, counters, keys).</summary>
    public ProtocolNode Node { get; }

    /// <summary>The failure detector and member reports.</summary>
    public ClusterMembership Membership { get; }

    /// <summary>The election state.</summary>
    public ElectionState Election { get; }

    /// <summary>The price log.</summary>
    public PriceLog Log { get; }

    /// <summary>Optional listener for records held and commits (the simulator's checkers use it).</summary>
    public IPriceLogListener? PriceListener { get; set; }

    /// <summary>Microseconds to add to the monotonic clock to get unix time (the application keeps it current).</summary>
    public long UnixEpochOffsetUs { get; set; }

    /// <summary>True while this node is the coordinator.</summary>
    public bool IsCoordinator => Election.Role == ElectionRole.Leader;

    /// <summary>Catch-up requests sent.</summary>
    public long CatchUpRequests { get; private set; }

    /// <summary>When <see cref="Tick"/> should next run (the protocol node's timers and this layer's).</summary>
    public long NextDeadlineUs => Node.NextDeadlineUs;

    /// <inheritdoc/>
    long IProtocolComponent.NextDeadlineUs
    {
        get
        {
            long next = Election.NextDeadlineUs;
            if (!Election.Leader.IsValid && Election.IsVoter)
            {
                next = Math.Min(next, _nextRankRefreshUs);
            }

            return next;
        }
    }

    /// <summary>Sets the load figures this node reports (utilization in basis points, capacity, health: 0 = healthy).</summary>
    public void SetLoad(ushort utilizationBp, uint capacity, byte health = 0)
    {
        _utilizationBp = utilizationBp;
        _capacity = capacity;
        _health = health;
        PublishOwnReport();
    }

    /// <summary>Handles a datagram (see <see cref="ProtocolNode.Receive"/>).</summary>
    public ReceiveResult Receive(ReadOnlySpan<byte> datagram, long nowUs)
    {
        _lastNowUs = nowUs;
        ReceiveResult result = Node.Receive(datagram, nowUs);
        Node.Term = Election.CurrentTerm;
        return result;
    }

    /// <summary>Runs the timers (see <see cref="ProtocolNode.Tick"/>); this component is ticked by the node.</summary>
    public void Tick(long nowUs)
    {
        _lastNowUs = nowUs;
        Node.Tick(nowUs);
        Node.Term = Election.CurrentTerm;
    }

    /// <summary>
    /// The coordinator publishes a price for [start, end) (unix ms): appended to its log (idempotent per interval) and
    /// multicast reliably. Returns <see cref="PriceLogResult.Invalid"/> when this node is not the coordinator.
    /// </summary>
    public PriceLogResult PublishPrice(long intervalStartMs, long intervalEndMs, int priceE4, ushort source, long nowUs)
    {
        if (!IsCoordinator)
        {
            return PriceLogResult.Invalid;
        }

        PriceLogResult result = Log.AppendAsLeader(Election.CurrentTerm, intervalStartMs, intervalEndMs, priceE4, source, out PriceRecord record);
        if (result == PriceLogResult.Appended)
        {
            Announce(record, nowUs);
        }

        return result;
    }

    /// <summary>The price in force at the node's own clock, or the stale / none signal.</summary>
    public PriceStatus GetPriceInForce(long nowUs, out PriceRecord record) =>
        Log.GetPriceInForce(UnixMs(nowUs), out record);

    /// <summary>Unix milliseconds at monotonic <paramref name="nowUs"/>.</summary>
    public long UnixMs(long nowUs) => (nowUs + UnixEpochOffsetUs) / 1000;

    /// <inheritdoc/>
    void IProtocolComponent.Tick(long nowUs)
    {
        _lastNowUs = nowUs;
        if (!Election.Leader.IsValid && Election.IsVoter && nowUs >= _nextRankRefreshUs)
        {
            RefreshRank();
            _nextRankRefreshUs = nowUs + _options.RankRefreshUs;
        }

        Election.Tick(nowUs);
        long period = IsCoordinator ? _options.Election.CoordinatorGroupPeriodUs(Membership.LiveCount) : Membership.MemberPeriodUs;
        if (Node.HeartbeatIntervalUs != period)
        {
            Node.HeartbeatIntervalUs = period;
        }

        UpdateDirectBeats(nowUs);
        Node.Term = Election.CurrentTerm;
    }

    /// <summary>
    /// The direct member beat (see "Heartbeat traffic and its bound" in protocol/README.md): while the members' group
    /// beat is slower than the direct period, a member sends its heartbeat unicast to the coordinator every direct
    /// period (jittered, first beat at a random phase), and the coordinator watches every member on that period
    /// (suspicion) and takes CheckQuorum's window from it. Small clusters, whose group beat is as fast, send none.
    /// </summary>
    private void UpdateDirectBeats(long nowUs)
    {
        long member = Membership.MemberPeriodUs;
        long direct = Membership.DirectPeriodUs;
        bool slow = direct < member;
        Election.CheckQuorumWindowUs = Math.Max(_options.Election.CheckQuorumWindowUs, 3 * Math.Min(member, direct));
        if (IsCoordinator)
        {
            Membership.WatchDirect(slow ? direct : long.MaxValue, nowUs);
            _directPeer = NodeId.None; // the coordinator's own unicast beats go to its alternates (SetFastPeers)
            return;
        }

        Membership.WatchDirect(long.MaxValue, nowUs);
        // Judged against the group interval in use, as SetHeartbeatPeers does (the live count may have moved since).
        slow = direct < Node.HeartbeatIntervalUs;
        NodeId target = slow && Election.Leader.IsValid && Election.Leader != Node.Id ? Election.Leader : NodeId.None;
        if (target == _directPeer && (!target.IsValid || direct == _directPeriodUs))
        {
            return;
        }

        _directPeer = target;
        _directPeriodUs = direct;
        if (target.IsValid)
        {
            Node.SetHeartbeatPeers(new ReadOnlySpan<NodeId>(in target), direct, nowUs + (long)(direct * _random.NextDouble()));
        }
        else
        {
            Node.SetHeartbeatPeers([], direct);
        }
    }

    /// <inheritdoc/>
    void IProtocolComponent.OnDatagram(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
        _lastNowUs = nowUs;
        NodeId sender = header.Sender;
        switch (header.Type)
        {
            case MessageType.VoteRequest:
            case MessageType.PreVoteRequest:
                if (VoteRequest.TryRead(payload, out VoteRequest request) && request.PreVote == (header.Type == MessageType.PreVoteRequest))
                {
                    Election.OnVoteRequest(sender, request, nowUs);
                }
                else
                {
                    Malformed++;
                }

                break;
            case MessageType.VoteResponse:
            case MessageType.PreVoteResponse:
                if (VoteResponse.TryRead(payload, out VoteResponse response) && response.PreVote == (header.Type == MessageType.PreVoteResponse))
                {
                    Election.OnVoteResponse(sender, response, nowUs);
                }
                else
                {
                    Malformed++;
                }

                break;
            case MessageType.Probe:
                Node.SendDatagram(Destination.To(sender), MessageType.ProbeAck, []);
                break;
            case MessageType.ProbeAck:
                break; // the membership view already counted it as a sign of life
            case MessageType.PriceAck:
                if (payload.Length >= 8 && IsCoordinator)
                {
                    SendCatchUp(sender, BinaryPrimitives.ReadUInt64BigEndian(payload));
                }

                break;
            case MessageType.PriceRecord:
                ReadCatchUp(header, payload, nowUs);
                break;
        }

        Node.Term = Election.CurrentTerm;
    }

    /// <summary>Cluster messages that failed to parse (counted and dropped).</summary>
    public long Malformed { get; private set; }

    /// <inheritdoc/>
    void IProtocolComponent.OnMulticast(NodeId sender, ulong sequence, byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
        _lastNowUs = nowUs;
        if (channel != _options.PriceChannel || !PriceRecord.TryRead(payload, out PriceRecord record, out ulong previousTerm))
        {
            Malformed++;
            return;
        }

        if (sender == Node.Id)
        {
            return; // our own record, delivered back to us
        }

        OfferRecord(sender, record, previousTerm, record.Term, nowUs);
    }

    /// <inheritdoc/>
    int IHeartbeatSection.WriteHeartbeatSection(Span<byte> destination, long nowUs)
    {
        int k = 0;
        if (IsCoordinator)
        {
            if (Node.WritingGroupHeartbeat)
            {
                // Ranked again at every group beat (O(n·K)); the fast beats in between repeat the same alternates.
                int n = Membership.CopyCandidates(_candidates, _isVoter);
                k = Parmcea.TopK(_candidates.AsSpan(0, n), _options.Thresholds, Node.Id, _alternates);
                Election.SetOwnAlternates(_alternates.AsSpan(0, k));
                SetFastPeers(_alternates.AsSpan(0, k));
            }
            else
            {
                k = Election.Alternates.Length;
            }
        }

        int size = SectionFixed + (4 * k);
        if (destination.Length < size)
        {
            k = Math.Max(0, (destination.Length - SectionFixed) / 4);
            size = SectionFixed + (4 * k);
            if (destination.Length < SectionFixed)
            {
                return 0;
            }
        }

        destination[0] = IsCoordinator ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], _utilizationBp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[3..], _capacity);
        destination[7] = _health;
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], (uint)Math.Min(uint.MaxValue, Node.HeartbeatIntervalUs / 1000));
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Election.Leader.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], Log.LastIndex);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], Log.LastTerm);
        BinaryPrimitives.WriteUInt64BigEndian(destination[32..], Log.CommitIndex);
        destination[40] = (byte)k;
        for (int i = 0; i < k; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(SectionFixed + (4 * i))..], _alternates[i].Value);
        }

        return size;
    }

    /// <summary>
    /// The coordinator's fast beat goes unicast to its alternates (the group hears the slower group beat). A node that
    /// was an alternate and no longer is gets this one beat as well, so that it learns it and stops expecting the fast
    /// beat.
    /// </summary>
    private void SetFastPeers(ReadOnlySpan<NodeId> alternates)
    {
        Span<NodeId> peers = stackalloc NodeId[_fastPeers.Length];
        alternates.CopyTo(peers);
        int count = alternates.Length;
        for (int i = 0; i < _fastPeerCount; i++)
        {
            if (alternates.IndexOf(_fastPeers[i]) < 0)
            {
                peers[count++] = _fastPeers[i];
            }
        }

        Node.SetHeartbeatPeers(peers[..count], _options.Election.CoordinatorHeartbeatPeriodUs);
        alternates.CopyTo(_fastPeers);
        _fastPeerCount = alternates.Length;
    }

    /// <inheritdoc/>
    void IHeartbeatSection.ReadHeartbeatSection(in MessageHeader header, ReadOnlySpan<byte> section, long nowUs)
    {
        _lastNowUs = nowUs;
        if (section.Length < SectionFixed || section.Length < SectionFixed + (4 * section[40]) || (section[0] & ~1) != 0)
        {
            Malformed++;
            return;
        }

        NodeId sender = header.Sender;
        var report = new MemberReport(
            BinaryPrimitives.ReadUInt16BigEndian(section[1..]),
            BinaryPrimitives.ReadUInt32BigEndian(section[3..]),
            section[7],
            Math.Max(1_000, BinaryPrimitives.ReadUInt32BigEndian(section[8..]) * 1000L),
            BinaryPrimitives.ReadUInt64BigEndian(section[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(section[24..]));
        Membership.OnReport(sender, header.Incarnation, report);
        ulong commit = BinaryPrimitives.ReadUInt64BigEndian(section[32..]);

        if ((section[0] & 1) != 0)
        {
            int k = Math.Min(section[40], _alternates.Length);
            Span<NodeId> alternates = stackalloc NodeId[8];
            for (int i = 0; i < k; i++)
            {
                alternates[i] = new NodeId(BinaryPrimitives.ReadUInt32BigEndian(section[(SectionFixed + (4 * i))..]));
            }

            if (Election.OnCoordinatorHeartbeat(sender, header.Term, alternates[..k], nowUs))
            {
                Election.CoordinatorGroupPeriodUs = report.PeriodUs;
                if (sender != _directPeer)
                {
                    UpdateDirectBeats(nowUs);
                }

                ulong before = Log.CommitIndex;
                bool lagging = Log.ObserveLeader(header.Term, report.LastLogIndex, report.LastLogTerm, commit);
                if (Log.CommitIndex != before)
                {
                    PriceListener?.OnCommitted(Log.CommitIndex, nowUs);
                }

                if (lagging)
                {
                    RequestCatchUp(sender, nowUs);
                }
            }
        }
        else
        {
            Election.OnMemberContact(sender, nowUs);
            if (IsCoordinator)
            {
                NoteMatch(sender, report.LastLogIndex, report.LastLogTerm, nowUs);
            }
        }

        Node.Term = Election.CurrentTerm;
    }

    /// <inheritdoc/>
    void IElectionOutput.BroadcastVoteRequest(in VoteRequest request)
    {
        request.TryWrite(_buffer);
        Node.SendDatagram(Destination.Group, request.PreVote ? MessageType.PreVoteRequest : MessageType.VoteRequest, _buffer.AsSpan(0, VoteRequest.Size));
    }

    /// <inheritdoc/>
    void IElectionOutput.SendVoteResponse(NodeId candidate, in VoteResponse response)
    {
        response.TryWrite(_buffer);
        Node.SendDatagram(Destination.To(candidate), response.PreVote ? MessageType.PreVoteResponse : MessageType.VoteResponse, _buffer.AsSpan(0, VoteResponse.Size));
    }

    /// <inheritdoc/>
    void IElectionOutput.OnLeaderChanged(NodeId leader, ulong term)
    {
        long nowUs = _lastNowUs;
        Node.Term = term;
        _handler?.OnLeadershipChanged(leader, term);
        if (leader == Node.Id)
        {
            Array.Clear(_matched);
            Node.HeartbeatJitter = 0;
            Node.HeartbeatIntervalUs = _options.Election.CoordinatorGroupPeriodUs(Membership.LiveCount);
            _fastPeerCount = 0;
            _directPeer = NodeId.None;
            Node.SetHeartbeatPeers([], _options.Election.CoordinatorHeartbeatPeriodUs);
            UpdateDirectBeats(nowUs);
            if (Log.AppendTermStart(term, UnixMs(nowUs), out PriceRecord first) == PriceLogResult.Appended)
            {
                Announce(first, nowUs);
            }

            Node.SendHeartbeatNow(nowUs);
        }
        else
        {
            Node.HeartbeatJitter = _options.Membership.HeartbeatJitter;
            Node.HeartbeatIntervalUs = Membership.MemberPeriodUs;
            Node.SetHeartbeatPeers([], _options.Election.CoordinatorHeartbeatPeriodUs);
            _fastPeerCount = 0;
            _directPeer = NodeId.None;
            UpdateDirectBeats(nowUs);
            if (!leader.IsValid)
            {
                _nextRankRefreshUs = nowUs; // refresh the rank before the election needs it
            }
        }
    }

    /// <inheritdoc/>
    void IProbeSender.SendProbe(NodeId member, long nowUs) => Node.SendDatagram(Destination.To(member), MessageType.Probe, []);

    /// <inheritdoc/>
    void IMembershipListener.OnMemberAlive(NodeId member, ulong incarnation, long nowUs)
    {
    }

    /// <inheritdoc/>
    void IMembershipListener.OnMemberFailed(NodeId member, ulong incarnation, long nowUs)
    {
    }

    /// <inheritdoc/>
    public void Dispose() => Node.Dispose();

    private void OfferRecord(NodeId sender, in PriceRecord record, ulong previousTerm, ulong senderTerm, long nowUs)
    {
        if (senderTerm < Election.CurrentTerm)
        {
            return; // from a deposed coordinator
        }

        if (senderTerm > Election.CurrentTerm || !Election.Leader.IsValid)
        {
            // The first record of a new term announces its coordinator.
            if (!Election.OnCoordinatorHeartbeat(sender, senderTerm, Election.Leader == sender ? Election.Alternates : [], nowUs))
            {
                return;
            }
        }
        else if (Election.Leader != sender)
        {
            return;
        }

        PriceLogResult result = Log.Accept(record, previousTerm, senderTerm);
        if (result == PriceLogResult.Appended)
        {
            PriceListener?.OnRecordHeld(record, nowUs);
        }
        else if (result == PriceLogResult.Gap)
        {
            RequestCatchUp(sender, nowUs);
        }
    }

    private void Announce(in PriceRecord record, long nowUs)
    {
        PriceListener?.OnRecordHeld(record, nowUs);
        record.TryWrite(_buffer, Log.TermAt(record.Index - 1));
        Node.TryPublish(_options.PriceChannel, _buffer.AsSpan(0, PriceRecord.Size), nowUs); // if full, followers catch up
        AdvanceCommit(nowUs);
    }

    private void NoteMatch(NodeId member, ulong lastIndex, ulong lastTerm, long nowUs)
    {
        int slot = RosterSlot(member);
        if (slot < 0)
        {
            return;
        }

        _matched[slot] = Log.MatchedIndex(lastIndex, lastTerm);
        AdvanceCommit(nowUs);
    }

    private void AdvanceCommit(long nowUs)
    {
        int self = RosterSlot(Node.Id);
        if (self >= 0)
        {
            _matched[self] = Log.LastIndex;
        }

        if (Log.AdvanceLeaderCommit(Election.CurrentTerm, _matched, Election.Quorum))
        {
            PriceListener?.OnCommitted(Log.CommitIndex, nowUs);
        }
    }

    private void RequestCatchUp(NodeId coordinator, long nowUs)
    {
        if (nowUs - _lastCatchUpUs < _options.CatchUpIntervalUs)
        {
            return;
        }

        _lastCatchUpUs = nowUs;
        CatchUpRequests++;
        BinaryPrimitives.WriteUInt64BigEndian(_buffer, Log.LastIndex + 1);
        Node.SendDatagram(Destination.To(coordinator), MessageType.PriceAck, _buffer.AsSpan(0, 8));
    }

    private void SendCatchUp(NodeId follower, ulong fromIndex)
    {
        // A follower whose log diverged asks from its own end; start a little earlier so log matching can repair it.
        // Up to 8 datagrams of 25 records each go at once, so a restarted node catches up in one round trip.
        ulong from = fromIndex > (ulong)MaxCatchUpRecords / 2 ? fromIndex - ((ulong)MaxCatchUpRecords / 2) : 1;
        for (int d = 0; d < MaxCatchUpDatagrams && from <= Log.LastIndex; d++)
        {
            int n = Log.CopyFrom(from, _catchUp);
            if (n == 0)
            {
                return;
            }

            _buffer[0] = (byte)n;
            for (int i = 0; i < n; i++)
            {
                _catchUp[i].TryWrite(_buffer.AsSpan(1 + (i * PriceRecord.Size)), Log.TermAt(_catchUp[i].Index - 1));
            }

            Node.SendDatagram(Destination.To(follower), MessageType.PriceRecord, _buffer.AsSpan(0, 1 + (n * PriceRecord.Size)));
            from = _catchUp[n - 1].Index + 1;
        }
    }

    private void ReadCatchUp(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
        if (payload.IsEmpty || payload[0] > MaxCatchUpRecords || payload.Length < 1 + (payload[0] * PriceRecord.Size))
        {
            Malformed++;
            return;
        }

        int n = payload[0];
        for (int i = 0; i < n; i++)
        {
            if (!PriceRecord.TryRead(payload[(1 + (i * PriceRecord.Size))..], out PriceRecord record, out ulong previousTerm))
            {
                Malformed++;
                return;
            }

            OfferRecord(header.Sender, record, previousTerm, header.Term, nowUs);
        }
    }

    private void PublishOwnReport() =>
        Membership.SetOwnReport(new MemberReport(_utilizationBp, _capacity, _health, Node.HeartbeatIntervalUs, Log.LastIndex, Log.LastTerm));

    private void RefreshRank()
    {
        PublishOwnReport();
        int n = Membership.CopyCandidates(_candidates, _isVoter);
        int position = Parmcea.PositionOf(_candidates.AsSpan(0, n), Node.Id, _options.Thresholds);
        Election.SuccessionRank = position < 0 ? n : position;
    }

    private int RosterSlot(NodeId node) => Election.Roster.BinarySearch(node, NodeIdComparer.Instance);

    private sealed class NodeIdComparer : IComparer<NodeId>
    {
        public static readonly NodeIdComparer Instance = new();

        public int Compare(NodeId x, NodeId y) => x.Value.CompareTo(y.Value);
    }
}
