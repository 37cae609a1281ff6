using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Membership;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>
/// One cluster node as a sans-IO state machine: <see cref="Receive"/> (decode, authenticate, replay check, dispatch),
/// <see cref="Tick"/> (heartbeats, NACK and repair timers, retransmissions, failure detection, components) and the
/// application's sends (<see cref="TryPublish(ReadOnlySpan{byte}, long)"/>, <see cref="TrySend(NodeId, ReadOnlySpan{byte}, long)"/>).
/// Time, randomness and output are passed in; the node never reads a clock, opens a socket or starts a thread. Not
/// thread-safe: drive one node from one thread (or one simulator loop). Allocation-free in steady state (after every
/// peer and stream has been seen once). The channels (<see cref="MulticastChannel"/>, <see cref="UnicastChannel"/>) hold
/// the reliable-delivery state and behaviour; this class decodes, authenticates, dispatches and runs the timers.
/// </summary>
public sealed class ProtocolNode : IMembershipListener, IDisposable
{
    /// <summary>Largest application payload of <see cref="TryPublish(ReadOnlySpan{byte}, long)"/>.</summary>
    public const int MaxMulticastPayload = MulticastDataFrame.MaxMessage;

    /// <summary>Largest application payload of <see cref="TrySend(NodeId, ReadOnlySpan{byte}, long)"/>.</summary>
    public const int MaxUnicastPayload = UnicastDataFrame.MaxMessage;

    /// <summary>Most peers of <see cref="SetHeartbeatPeers(ReadOnlySpan{NodeId}, long)"/>.</summary>
    public const int MaxHeartbeatPeers = HeartbeatSchedule.MaxPeers;

    private readonly NodeOptions _options;
    private readonly IDeliveryHandler _handler;
    private readonly IRandomSource _random;
    private readonly IMembershipView _membership;
    private readonly KeyRing _keys;
    private readonly NodeOutput _output;
    private readonly HeartbeatSchedule _heartbeats;
    private readonly MulticastChannel _multicast;
    private readonly UnicastChannel _unicast;
    private readonly SenderCheck _senders;
    private readonly ComponentTable _components = new();
    private long _nextGapCheckUs;
    private bool _disposed;

    /// <summary>Creates a node. The first heartbeat goes out on the first <see cref="Tick"/> at or after <paramref name="nowUs"/>.</summary>
    /// <param name="options">Configuration; validated here.</param>
    /// <param name="sink">Where datagrams go.</param>
    /// <param name="handler">Where deliveries go.</param>
    /// <param name="random">Randomness (NACK/repair backoff, heartbeat jitter).</param>
    /// <param name="nowUs">The current time (monotonic microseconds).</param>
    /// <param name="membership">The failure detector; null for the built-in <see cref="HeartbeatMembership"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public ProtocolNode(NodeOptions options, IDatagramSink sink, IDeliveryHandler handler, IRandomSource random, long nowUs, IMembershipView? membership = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        _options = options;
        _handler = handler;
        _random = random;
        _keys = new KeyRing(options.Key, options.PreviousKey);
        _membership = membership ?? new HeartbeatMembership(options.Node, options.Incarnation, options.FailureTimeoutUs, options.MaxSenders);
        _heartbeats = new HeartbeatSchedule(random, options.HeartbeatIntervalUs, nowUs);
        _nextGapCheckUs = nowUs + options.GapCheckIntervalUs;
        _senders = new SenderCheck(options.Node, options.MaxSenders, options.ReplayWindowSize);
        _output = new NodeOutput(options, sink, handler, _keys, Counters, _components.ByChannel);
        _multicast = new MulticastChannel(options, new MulticastContext(options, _output, Counters, _membership, random), nowUs);
        _unicast = new UnicastChannel(options, _output, Counters);
        _membership.Attach(this); // last: a view may raise events at once
    }

    /// <summary>This node's id.</summary>
    public NodeId Id => _options.Node;

    /// <summary>This node's incarnation.</summary>
    public ulong Incarnation => _options.Incarnation;

    /// <summary>The options the node was built with.</summary>
    public NodeOptions Options => _options;

    /// <summary>What the node did (datagrams, drops by reason, NACKs, repairs, deliveries, retention).</summary>
    public ProtocolCounters Counters { get; } = new();

    /// <summary>The failure detector in use.</summary>
    public IMembershipView Membership => _membership;

    /// <summary>The delivery handler the node was built with (components raise membership/leadership events on it).</summary>
    public IDeliveryHandler DeliveryHandler => _handler;

    /// <summary>The injected random source (components draw their timeouts from it, keeping one seed per run).</summary>
    public IRandomSource Random => _random;

    /// <summary>The key ring (rotate keys at run time with <see cref="KeyRing.Rotate"/>).</summary>
    public KeyRing Keys => _keys;

    /// <summary>The term stamped into every outgoing header (owned by the cluster layer; 0 before any election).</summary>
    public ulong Term { get => _output.Term; set => _output.Term = value; }

    /// <summary>The heartbeat period; the cluster layer may change it at run time (e.g. with cluster size).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public long HeartbeatIntervalUs { get => _heartbeats.IntervalUs; set => _heartbeats.IntervalUs = value; }

    /// <summary>Spread of the heartbeat period, 0 to 0.5 (default 0): each period is drawn (injected random source) from
    /// [1 - jitter, 1 + jitter] × interval, so heartbeats do not bunch up; others are told <see cref="HeartbeatIntervalUs"/>
    /// (the cluster layer suspects after three announced periods, allowing for the jitter).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 0.5].</exception>
    public double HeartbeatJitter { get => _heartbeats.Jitter; set => _heartbeats.Jitter = value; }

    /// <summary>
    /// Fast unicast heartbeats: besides the group beat every <see cref="HeartbeatIntervalUs"/>, the same beat goes unicast
    /// to each of <paramref name="peers"/> every <paramref name="intervalUs"/> (the coordinator's fast beat to its
    /// alternates). A group beat restarts the fast period; an empty span, or an interval not shorter than the group
    /// interval, turns it off. Peers changed inside <see cref="IHeartbeatSection.WriteHeartbeatSection"/> get the beat
    /// being written.
    /// </summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxHeartbeatPeers"/> peers, or a non-positive interval.</exception>
    public void SetHeartbeatPeers(ReadOnlySpan<NodeId> peers, long intervalUs) => _heartbeats.SetPeers(peers, intervalUs, long.MinValue);

    /// <summary>
    /// As <see cref="SetHeartbeatPeers(ReadOnlySpan{NodeId}, long)"/>, but when the unicast beats start (they were off)
    /// the first one goes at <paramref name="firstBeatUs"/> instead of one interval after the last group beat (the
    /// members' direct beats to a new coordinator start at a random phase, not all at once). The unicast beats are
    /// jittered like the group beat (<see cref="HeartbeatJitter"/>).
    /// </summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxHeartbeatPeers"/> peers, or a non-positive interval.</exception>
    public void SetHeartbeatPeers(ReadOnlySpan<NodeId> peers, long intervalUs, long firstBeatUs) => _heartbeats.SetPeers(peers, intervalUs, firstBeatUs);

    /// <summary>The current fast heartbeat peers (see <see cref="SetHeartbeatPeers(ReadOnlySpan{NodeId}, long)"/>).</summary>
    public ReadOnlySpan<NodeId> HeartbeatPeers => _heartbeats.Peers;

    /// <summary>True while the heartbeat being written goes to the group (false: only to the fast peers).</summary>
    public bool WritingGroupHeartbeat { get; private set; }

    /// <summary>Writes and reads the heartbeat's component section (the cluster layer's figures), or null.</summary>
    public IHeartbeatSection? HeartbeatSection { get; set; }

    /// <summary>The highest sequence number this node has published (its own stream, this incarnation).</summary>
    public ulong PublishedSequence => _multicast.Local.Delivered;

    /// <summary>Own published messages not yet stable (the multicast send window in use).</summary>
    public int UnstableCount => (int)(_multicast.Local.Delivered - _multicast.Local.Floor);

    /// <summary>Unacknowledged reliable unicast messages to <paramref name="peer"/>.</summary>
    public int UnackedCount(NodeId peer) => _unicast.UnackedCount(peer);

    /// <summary>When <see cref="Tick"/> should next run (it may run earlier or later; late only delays timers).</summary>
    public long NextDeadlineUs
    {
        get
        {
            // The periodic gap check only matters while some stream has a gap; an idle node sleeps until its next real timer.
            long next = Math.Min(_multicast.AnyGap() ? _nextGapCheckUs : long.MaxValue, Math.Min(_output.WakeUs, _membership.NextDeadlineUs));
            return _components.NextDeadlineUs(Math.Min(next, _heartbeats.NextDueUs));
        }
    }

    /// <summary>Routes datagrams of <paramref name="type"/> (cluster or extension range) to <paramref name="component"/>.</summary>
    /// <exception cref="ArgumentException">The type is a core type, invalid, or already registered.</exception>
    public void RegisterMessageType(MessageType type, IProtocolComponent component) => _components.RegisterMessageType(type, component);

    /// <summary>Routes reliable multicast and unicast messages of <paramref name="channel"/> (1..255) to <paramref name="component"/>.
    /// Channel 0 is the application's (<see cref="IDeliveryHandler"/>).</summary>
    /// <exception cref="ArgumentException">Channel 0 or already registered.</exception>
    public void RegisterChannel(byte channel, IProtocolComponent component) => _components.RegisterChannel(channel, component);

    /// <summary>Adds a component to the tick list (done by the Register methods too; idempotent).</summary>
    public void AddComponent(IProtocolComponent component) => _components.Add(component);

    /// <summary>Handles one inbound datagram: structure, cluster, key, tag and replay checks, then dispatch. Anything bad is
    /// counted in <see cref="Counters"/> by <see cref="DropReason"/> and dropped, never thrown (an exception while handling an
    /// authenticated datagram is caught: <see cref="DropReason.HandlerFault"/>). The result says whether it was dropped and,
    /// once it authenticated, which node sent it.</summary>
    public ReceiveResult Receive(ReadOnlySpan<byte> datagram, long nowUs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Counters.DatagramsReceived++;
        Counters.BytesReceived += datagram.Length;
        DropReason reason = WireCodec.TryDecode(datagram, _options.ClusterId, out MessageHeader header, out ReadOnlySpan<byte> payload);
        if (reason == DropReason.None)
        {
            reason = _keys.Verify(datagram);
        }

        if (reason == DropReason.None)
        {
            reason = _senders.Check(header);
        }

        if (reason != DropReason.None)
        {
            Counters.Drop(reason);
            return new ReceiveResult(reason, NodeId.None);
        }

        Counters.DatagramsAccepted++;
        _membership.OnHeard(header, nowUs);
        try
        {
            reason = Dispatch(header, payload, nowUs);
        }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            reason = Counters.Fault(header.Type, e); // one datagram never stops the node: counted and dropped
        }

        if (reason != DropReason.None)
        {
            Counters.Drop(reason);
        }

        return new ReceiveResult(reason, header.Sender);
    }

    /// <summary>Runs every due timer. Call at or after <see cref="NextDeadlineUs"/> (calling more often is harmless).</summary>
    public void Tick(long nowUs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _membership.Tick(nowUs);
        if (_heartbeats.GroupDue(nowUs))
        {
            SendHeartbeat(nowUs);
            _multicast.UpdateStability(nowUs);
        }
        else if (_heartbeats.PeerDue(nowUs))
        {
            _heartbeats.StartPeerBeat(nowUs);
            int length = WriteHeartbeat(nowUs, group: false);
            foreach (NodeId peer in _heartbeats.Peers)
            {
                // Transmit rewrites the header and the tag only; the payload stays in place for the next peer.
                Counters.HeartbeatsSent++;
                _output.Transmit(Destination.To(peer), MessageType.Heartbeat, length);
            }

            _heartbeats.PeerBeatSent();
        }

        bool gapCheck = nowUs >= _nextGapCheckUs;
        if (gapCheck)
        {
            _nextGapCheckUs = nowUs + _options.GapCheckIntervalUs;
        }

        _output.ResetWake();
        _multicast.Tick(nowUs, gapCheck);
        _unicast.Tick(nowUs);
        _components.Tick(nowUs, Counters);
    }

    /// <summary>Publishes an application message (channel 0) on this node's reliable ordered multicast stream.</summary>
    /// <returns>False when the send window (<see cref="NodeOptions.MulticastSendWindow"/>) is full; retry after stability advances.</returns>
    /// <exception cref="ArgumentException">The payload exceeds <see cref="MaxMulticastPayload"/>.</exception>
    public bool TryPublish(ReadOnlySpan<byte> payload, long nowUs) => TryPublish(0, payload, nowUs);

    /// <summary>Publishes a message of <paramref name="channel"/> on this node's reliable ordered multicast stream.
    /// The node delivers its own messages to itself first (in order, like everyone else's).</summary>
    /// <returns>False when the send window is full.</returns>
    /// <exception cref="ArgumentException">The payload exceeds <see cref="MaxMulticastPayload"/>.</exception>
    public bool TryPublish(byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _multicast.TryPublish(channel, payload, nowUs);
    }

    /// <summary>Sends an application message (channel 0) reliably to <paramref name="peer"/>.</summary>
    /// <returns>False when the window to that peer (<see cref="NodeOptions.UnicastWindow"/>) is full or the peer table is full.</returns>
    /// <exception cref="ArgumentException">Payload larger than <see cref="MaxUnicastPayload"/>, or the peer is this node or invalid.</exception>
    public bool TrySend(NodeId peer, ReadOnlySpan<byte> payload, long nowUs) => TrySend(peer, 0, payload, nowUs);

    /// <summary>Sends a message of <paramref name="channel"/> reliably to <paramref name="peer"/>: retransmitted with
    /// exponential backoff until acknowledged, the peer is declared failed, or <see cref="NodeOptions.UnicastMaxRetransmits"/> is reached.</summary>
    /// <returns>False when the window to that peer is full or the peer table is full.</returns>
    /// <exception cref="ArgumentException">Payload larger than <see cref="MaxUnicastPayload"/>, or the peer is this node or invalid.</exception>
    public bool TrySend(NodeId peer, byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _unicast.TrySend(peer, channel, payload, nowUs);
    }

    /// <summary>
    /// Sends one unreliable, authenticated datagram of a component type (see <see cref="RegisterMessageType"/>).
    /// Returns false when the payload exceeds <see cref="WireCodec.MaxPayload"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The type is not in the component range.</exception>
    public bool SendDatagram(Destination destination, MessageType type, ReadOnlySpan<byte> payload)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (type < MessageType.ClusterFirst || type > MessageType.ExtensionLast)
        {
            throw new ArgumentException($"Components send types {(byte)MessageType.ClusterFirst}..{(byte)MessageType.ExtensionLast} only (got {(byte)type}).", nameof(type));
        }

        if (payload.Length > WireCodec.MaxPayload)
        {
            return false;
        }

        payload.CopyTo(_output.Payload);
        _output.Transmit(destination, type, payload.Length);
        return true;
    }

    /// <summary>Sends a heartbeat now (e.g. the coordinator's fast heartbeat) and restarts the heartbeat period.</summary>
    public void SendHeartbeatNow(long nowUs) => SendHeartbeat(nowUs);

    /// <inheritdoc/>
    void IMembershipListener.OnMemberAlive(NodeId member, ulong incarnation, long nowUs)
    {
        _multicast.OnMemberAlive(member, incarnation);
        _handler.OnMembershipChanged(member, incarnation, alive: true);
        _components.OnMembershipChanged(member, incarnation, alive: true, nowUs);
    }

    /// <inheritdoc/>
    void IMembershipListener.OnMemberFailed(NodeId member, ulong incarnation, long nowUs)
    {
        _multicast.OnMemberFailed(member);
        _unicast.OnMemberFailed(member);
        _handler.OnMembershipChanged(member, incarnation, alive: false);
        _components.OnMembershipChanged(member, incarnation, alive: false, nowUs);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _keys.Dispose();
        }
    }

    private DropReason Dispatch(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
        switch (header.Type)
        {
            case MessageType.Heartbeat:
                if (!HeartbeatFrame.TryRead(payload, out HeartbeatFrame beat))
                {
                    return DropReason.MalformedPayload;
                }

                _multicast.OnAnnouncement(header.Sender, header.Incarnation, beat.Highest, beat.Stable, nowUs);
                _multicast.OnReports(header.Sender, beat.Reports(payload), nowUs);
                HeartbeatSection?.ReadHeartbeatSection(header, beat.Section(payload), nowUs);
                return DropReason.None;
            case MessageType.MulticastData or MessageType.Repair:
                bool repair = header.Type == MessageType.Repair;
                return !MulticastDataFrame.TryRead(payload, out MulticastDataFrame data, out ReadOnlySpan<byte> message) || (!repair && !data.IsValidOriginal(header))
                    ? DropReason.MalformedPayload
                    : _multicast.OnData(data, message, repair, nowUs);
            case MessageType.Nack:
                return NackFrame.TryRead(payload, out NackFrame nack) ? _multicast.OnNack(nack, nowUs) : DropReason.MalformedPayload;
            case MessageType.UnicastData:
                return UnicastDataFrame.TryRead(payload, out UnicastDataFrame unicast, out ReadOnlySpan<byte> body)
                    ? _unicast.OnData(header.Sender, header.Incarnation, unicast, body, nowUs)
                    : DropReason.MalformedPayload;
            case MessageType.UnicastAck:
                return UnicastAckFrame.TryRead(payload, out UnicastAckFrame ack) ? _unicast.OnAck(header.Sender, ack) : DropReason.MalformedPayload;
            default:
                IProtocolComponent? component = _components.ForType(header.Type);
                if (component is null)
                {
                    return DropReason.UnknownType;
                }

                component.OnDatagram(header, payload, nowUs);
                return DropReason.None;
        }
    }

    private void SendHeartbeat(long nowUs)
    {
        _heartbeats.StartGroupBeat(nowUs);
        int length = WriteHeartbeat(nowUs, group: true);
        Counters.HeartbeatsSent++;
        _output.Transmit(Destination.Group, MessageType.Heartbeat, length);
        _heartbeats.GroupBeatSent(nowUs);
    }

    /// <summary>Writes the heartbeat payload in place: own stream position, round-robin reports, the component section.</summary>
    private int WriteHeartbeat(long nowUs, bool group)
    {
        Span<byte> p = _output.Payload;
        ulong highest = _multicast.Local.Delivered, stable = _multicast.Local.AnnouncedStable;
        int sectionBudget = _options.HeartbeatSectionBytes;
        int maxReports = HeartbeatFrame.MaxReports(sectionBudget);
        int reports = _multicast.WriteReports(HeartbeatFrame.ReportArea(p, maxReports), maxReports);
        int section = 0;
        if (HeartbeatSection is not null && sectionBudget > 0)
        {
            WritingGroupHeartbeat = group;
            section = HeartbeatSection.WriteHeartbeatSection(HeartbeatFrame.SectionArea(p, reports, sectionBudget), nowUs);
            section = Math.Clamp(section, 0, sectionBudget);
            WritingGroupHeartbeat = false;
        }

        new HeartbeatFrame(highest, stable, reports, section).TryWrite(p, out int length);
        return length;
    }
}
