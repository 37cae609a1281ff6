using System.Buffers.Binary;
using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Membership;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>
/// One cluster node as a sans-IO state machine: <see cref="Receive"/> (decode, authenticate, replay
/// check, dispatch), <see cref="Tick"/> (heartbeats, NACK and repair timers, retransmissions, failure
/// detection, components) and the application's sends (<see cref="TryPublish(ReadOnlySpan{byte}, long)"/>,
/// <see cref="TrySend(NodeId, ReadOnlySpan{byte}, long)"/>). Time, randomness and output are passed in;
/// the node never reads a clock, opens a socket or starts a thread. Not thread-safe: drive one node from
/// one thread (or one simulator loop). Allocation-free in steady state (after every peer and stream has
/// been seen once).
/// </summary>
public sealed partial class ProtocolNode : IMembershipListener, IDisposable
{
    /// <summary>Largest application payload of <see cref="TryPublish(ReadOnlySpan{byte}, long)"/>.</summary>
    public const int MaxMulticastPayload = WireCodec.MaxPayload - MulticastBodyHeader;

    /// <summary>Largest application payload of <see cref="TrySend(NodeId, ReadOnlySpan{byte}, long)"/>.</summary>
    public const int MaxUnicastPayload = WireCodec.MaxPayload - UnicastBodyHeader;

    private readonly NodeOptions _options;
    private readonly IDatagramSink _sink;
    private readonly IDeliveryHandler _handler;
    private readonly IRandomSource _random;
    private readonly IMembershipView _membership;
    private readonly KeyRing _keys;
    private readonly byte[] _tx = new byte[WireCodec.MaxDatagram];
    private readonly Dictionary<NodeId, ReplayWindow> _replay = new();
    private readonly IProtocolComponent?[] _byType = new IProtocolComponent?[128];
    private readonly IProtocolComponent?[] _byChannel = new IProtocolComponent?[256];
    private readonly List<IProtocolComponent> _components = new();
    private readonly long _startUs;
    private ulong _datagramSequence;
    private long _heartbeatIntervalUs;
    private long _lastHeartbeatUs;
    private long _nextHeartbeatUs;
    private long _nextGapCheckUs;
    private double _heartbeatJitter;
    private readonly NodeId[] _heartbeatPeers = new NodeId[MaxHeartbeatPeers];
    private int _heartbeatPeerCount;
    private long _peerHeartbeatIntervalUs = long.MaxValue;
    private long _nextPeerHeartbeatUs = long.MaxValue;
    private long _timerHintUs = long.MaxValue;
    private bool _disposed;

    /// <summary>Creates a node. The first heartbeat goes out on the first <see cref="Tick"/> at or after <paramref name="nowUs"/>.</summary>
    /// <param name="options">Configuration; validated here.</param>
    /// <param name="sink">Where datagrams go.</param>
    /// <param name="handler">Where deliveries go.</param>
    /// <param name="random">Randomness (NACK/repair backoff).</param>
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
        _sink = sink;
        _handler = handler;
        _random = random;
        _keys = new KeyRing(options.Key, options.PreviousKey);
        _membership = membership ?? new HeartbeatMembership(options.Node, options.Incarnation, options.FailureTimeoutUs, options.MaxSenders);
        _membership.Attach(this);
        _startUs = nowUs;
        _heartbeatIntervalUs = options.HeartbeatIntervalUs;
        _nextHeartbeatUs = nowUs;
        _lastHeartbeatUs = long.MinValue / 2;
        _nextGapCheckUs = nowUs + options.GapCheckIntervalUs;
        _local = new MulticastStream(options.Node, options.Incarnation, isLocal: true, options.MulticastSendWindow);
        _local.Reset(options.Incarnation, 0);
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
    public ulong Term { get; set; }

    /// <summary>The heartbeat period; the cluster layer may change it at run time (e.g. with cluster size).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public long HeartbeatIntervalUs
    {
        get => _heartbeatIntervalUs;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _heartbeatIntervalUs = value;
            _nextHeartbeatUs = Math.Min(_nextHeartbeatUs, _lastHeartbeatUs + value);
        }
    }

    /// <summary>
    /// Spread of the heartbeat period, 0 to 0.5 (default 0): each period is drawn uniformly from
    /// [interval × (1 - jitter), interval × (1 + jitter)] so that many nodes' heartbeats do not bunch up (their phases
    /// drift apart). The draw comes from the injected random source. The interval announced to others stays
    /// <see cref="HeartbeatIntervalUs"/>; failure detectors must allow for the jitter (the cluster layer suspects after
    /// three announced periods).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 0.5].</exception>
    public double HeartbeatJitter
    {
        get => _heartbeatJitter;
        set
        {
            if (!(value >= 0 && value <= 0.5))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "HeartbeatJitter must be between 0 and 0.5.");
            }

            _heartbeatJitter = value;
        }
    }

    /// <summary>Most peers of <see cref="SetHeartbeatPeers"/>.</summary>
    public const int MaxHeartbeatPeers = 16;

    /// <summary>
    /// Fast unicast heartbeats: besides the group heartbeat every <see cref="HeartbeatIntervalUs"/>, the same heartbeat
    /// goes to each of <paramref name="peers"/> (unicast) every <paramref name="intervalUs"/> (the coordinator's fast beat
    /// to its alternates, while the group hears it more slowly). A group heartbeat restarts the fast period (it reaches
    /// the peers too). An empty span, or an interval not shorter than the group interval, turns it off. The peers may be
    /// changed from inside <see cref="IHeartbeatSection.WriteHeartbeatSection"/>; the beat being written then goes to
    /// the new peers.
    /// </summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxHeartbeatPeers"/> peers, or a non-positive interval.</exception>
    public void SetHeartbeatPeers(ReadOnlySpan<NodeId> peers, long intervalUs) => SetHeartbeatPeers(peers, intervalUs, long.MinValue);

    /// <summary>
    /// As <see cref="SetHeartbeatPeers(ReadOnlySpan{NodeId}, long)"/>, but when the unicast beats start (they were off)
    /// the first one goes at <paramref name="firstBeatUs"/> instead of one interval after the last group beat (the
    /// members' direct beats to a new coordinator start at a random phase, not all at once). The unicast beats are
    /// jittered like the group beat (<see cref="HeartbeatJitter"/>).
    /// </summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxHeartbeatPeers"/> peers, or a non-positive interval.</exception>
    public void SetHeartbeatPeers(ReadOnlySpan<NodeId> peers, long intervalUs, long firstBeatUs)
    {
        if (peers.Length > MaxHeartbeatPeers)
        {
            throw new ArgumentException($"At most {MaxHeartbeatPeers} heartbeat peers (got {peers.Length}).", nameof(peers));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intervalUs);
        peers.CopyTo(_heartbeatPeers);
        _heartbeatPeerCount = peers.Length;
        bool on = peers.Length > 0 && intervalUs < _heartbeatIntervalUs;
        if (!on)
        {
            _peerHeartbeatIntervalUs = long.MaxValue;
            _nextPeerHeartbeatUs = long.MaxValue;
        }
        else if (_peerHeartbeatIntervalUs == long.MaxValue)
        {
            _peerHeartbeatIntervalUs = intervalUs;
            // starting: one fast period after the last group beat, or when the caller says
            _nextPeerHeartbeatUs = firstBeatUs == long.MinValue ? _lastHeartbeatUs + intervalUs : firstBeatUs;
        }
        else
        {
            _peerHeartbeatIntervalUs = intervalUs; // running: the next fast beat keeps its time
        }
    }

    /// <summary>The current fast heartbeat peers (see <see cref="SetHeartbeatPeers"/>).</summary>
    public ReadOnlySpan<NodeId> HeartbeatPeers => _heartbeatPeers.AsSpan(0, _heartbeatPeerCount);

    /// <summary>True while the heartbeat being written goes to the group (false: only to the fast peers).</summary>
    public bool WritingGroupHeartbeat { get; private set; }

    /// <summary>Writes and reads the heartbeat's component section (the cluster layer's figures), or null.</summary>
    public IHeartbeatSection? HeartbeatSection { get; set; }

    /// <summary>When <see cref="Tick"/> should next run (it may run earlier or later; late only delays timers).</summary>
    public long NextDeadlineUs
    {
        get
        {
            // The periodic gap check only matters while some stream has a gap; an idle node sleeps until its next real timer.
            long next = Math.Min(Math.Min(_nextHeartbeatUs, AnyStreamHasGap() ? _nextGapCheckUs : long.MaxValue), Math.Min(_timerHintUs, _membership.NextDeadlineUs));
            next = Math.Min(next, _nextPeerHeartbeatUs);
            foreach (IProtocolComponent c in _components)
            {
                next = Math.Min(next, c.NextDeadlineUs);
            }

            return next;
        }
    }

    /// <summary>Routes datagrams of <paramref name="type"/> (cluster or extension range) to <paramref name="component"/>.</summary>
    /// <exception cref="ArgumentException">The type is a core type, invalid, or already registered.</exception>
    public void RegisterMessageType(MessageType type, IProtocolComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (type < MessageType.ClusterFirst || type > MessageType.ExtensionLast)
        {
            throw new ArgumentException($"Message type {(byte)type} is not in the component range {(byte)MessageType.ClusterFirst}..{(byte)MessageType.ExtensionLast}.", nameof(type));
        }

        if (_byType[(int)type] is not null)
        {
            throw new ArgumentException($"Message type {type} is already registered.", nameof(type));
        }

        _byType[(int)type] = component;
        AddComponent(component);
    }

    /// <summary>Routes reliable multicast and unicast messages of <paramref name="channel"/> (1..255) to <paramref name="component"/>.
    /// Channel 0 is the application's (<see cref="IDeliveryHandler"/>).</summary>
    /// <exception cref="ArgumentException">Channel 0 or already registered.</exception>
    public void RegisterChannel(byte channel, IProtocolComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (channel == 0 || _byChannel[channel] is not null)
        {
            throw new ArgumentException($"Channel {channel} is reserved for the application or already registered.", nameof(channel));
        }

        _byChannel[channel] = component;
        AddComponent(component);
    }

    /// <summary>Adds a component to the tick list (done by the Register methods too; idempotent).</summary>
    public void AddComponent(IProtocolComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (!_components.Contains(component))
        {
            _components.Add(component);
        }
    }

    /// <summary>
    /// Handles one inbound datagram: structure, cluster, key, tag and replay checks, then dispatch.
    /// Anything bad is counted in <see cref="Counters"/> by <see cref="DropReason"/> and dropped; nothing is thrown.
    /// The result says whether it was dropped and, once it authenticated, which node sent it.
    /// </summary>
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
            reason = CheckSender(header);
        }

        if (reason != DropReason.None)
        {
            Counters.Drop(reason);
            return new ReceiveResult(reason, NodeId.None);
        }

        Counters.DatagramsAccepted++;
        _membership.OnHeard(header, nowUs);
        reason = Dispatch(header, payload, nowUs);
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
        if (nowUs >= _nextHeartbeatUs)
        {
            SendHeartbeat(nowUs);
            UpdateStability(nowUs);
        }
        else if (nowUs >= _nextPeerHeartbeatUs)
        {
            SendPeerHeartbeat(nowUs);
        }

        bool gapCheck = nowUs >= _nextGapCheckUs;
        if (gapCheck)
        {
            _nextGapCheckUs = nowUs + _options.GapCheckIntervalUs;
        }

        _timerHintUs = long.MaxValue;
        TickMulticast(nowUs, gapCheck);
        TickUnicast(nowUs);
        foreach (IProtocolComponent c in _components)
        {
            c.Tick(nowUs);
        }
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

        payload.CopyTo(PayloadBuffer);
        Transmit(destination, type, payload.Length);
        return true;
    }

    /// <summary>Sends a heartbeat now (e.g. the coordinator's fast heartbeat) and restarts the heartbeat period.</summary>
    public void SendHeartbeatNow(long nowUs) => SendHeartbeat(nowUs);

    /// <inheritdoc/>
    void IMembershipListener.OnMemberAlive(NodeId member, ulong incarnation, long nowUs)
    {
        if (_streams.TryGetValue(member, out MulticastStream? s) && s.Incarnation == incarnation)
        {
            s.OriginFailed = false;
        }

        _handler.OnMembershipChanged(member, incarnation, alive: true);
        foreach (IProtocolComponent c in _components)
        {
            (c as IMembershipListener)?.OnMemberAlive(member, incarnation, nowUs);
        }
    }

    /// <inheritdoc/>
    void IMembershipListener.OnMemberFailed(NodeId member, ulong incarnation, long nowUs)
    {
        OnMulticastMemberFailed(member);
        OnUnicastMemberFailed(member);
        _handler.OnMembershipChanged(member, incarnation, alive: false);
        foreach (IProtocolComponent c in _components)
        {
            (c as IMembershipListener)?.OnMemberFailed(member, incarnation, nowUs);
        }
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

    private Span<byte> PayloadBuffer => _tx.AsSpan(WireCodec.HeaderSize, WireCodec.MaxPayload);

    private DropReason CheckSender(in MessageHeader header)
    {
        if (!header.Sender.IsValid || header.Sequence == 0 || header.Incarnation == 0 || header.Type == MessageType.None || (byte)header.Type > (byte)MessageType.ExtensionLast)
        {
            return DropReason.InvalidHeader;
        }

        if (header.Sender == _options.Node)
        {
            return DropReason.OwnDatagram;
        }

        if (!_replay.TryGetValue(header.Sender, out ReplayWindow? window))
        {
            if (_replay.Count >= _options.MaxSenders)
            {
                return DropReason.TooManySenders;
            }

            window = new ReplayWindow(_options.ReplayWindowSize);
            _replay.Add(header.Sender, window);
        }

        return window.TryAccept(header.Incarnation, header.Sequence) ? DropReason.None : DropReason.Replayed;
    }

    private DropReason Dispatch(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
        switch (header.Type)
        {
            case MessageType.Heartbeat:
                return HandleHeartbeat(header, payload, nowUs);
            case MessageType.MulticastData:
                return HandleMulticastData(header, payload, isRepair: false, nowUs);
            case MessageType.Repair:
                return HandleMulticastData(header, payload, isRepair: true, nowUs);
            case MessageType.Nack:
                return HandleNack(header, payload, nowUs);
            case MessageType.UnicastData:
                return HandleUnicastData(header, payload, nowUs);
            case MessageType.UnicastAck:
                return HandleUnicastAck(header, payload);
            default:
                IProtocolComponent? component = _byType[(int)header.Type];
                if (component is null)
                {
                    return DropReason.UnknownType;
                }

                component.OnDatagram(header, payload, nowUs);
                return DropReason.None;
        }
    }

    /// <summary>Seals and sends the datagram whose payload (<paramref name="payloadLength"/> bytes) is already in <see cref="PayloadBuffer"/>.</summary>
    private void Transmit(Destination destination, MessageType type, int payloadLength)
    {
        var header = new MessageHeader(type, _options.ClusterId, _options.Node, _options.Incarnation, Term, ++_datagramSequence, (ushort)payloadLength, _keys.CurrentKeyId);
        header.Write(_tx);
        Span<byte> datagram = _tx.AsSpan(0, WireCodec.DatagramSize(payloadLength));
        _keys.Seal(datagram);
        Counters.DatagramsSent++;
        Counters.BytesSent += datagram.Length;
        _sink.Send(destination, datagram);
    }

    private void SendHeartbeat(long nowUs)
    {
        _lastHeartbeatUs = nowUs;
        _nextHeartbeatUs = nowUs + Jittered(_heartbeatIntervalUs);
        int length = WriteHeartbeat(nowUs, group: true);
        Counters.HeartbeatsSent++;
        Transmit(Destination.Group, MessageType.Heartbeat, length);
        if (_peerHeartbeatIntervalUs != long.MaxValue)
        {
            _nextPeerHeartbeatUs = nowUs + Jittered(_peerHeartbeatIntervalUs);
        }
    }

    /// <summary>One period drawn from [1 - jitter, 1 + jitter] × <paramref name="period"/> (no draw without jitter).</summary>
    private long Jittered(long period) =>
        _heartbeatJitter > 0 ? Math.Max(1, (long)(period * (1 - _heartbeatJitter + (2 * _heartbeatJitter * _random.NextDouble())))) : period;

    private void SendPeerHeartbeat(long nowUs)
    {
        _nextPeerHeartbeatUs = nowUs + Jittered(_peerHeartbeatIntervalUs);
        int length = WriteHeartbeat(nowUs, group: false);
        for (int i = 0; i < _heartbeatPeerCount; i++)
        {
            // Transmit rewrites the header and the tag only; the payload stays in place for the next peer.
            Counters.HeartbeatsSent++;
            Transmit(Destination.To(_heartbeatPeers[i]), MessageType.Heartbeat, length);
        }

        if (_peerHeartbeatIntervalUs == long.MaxValue)
        {
            _nextPeerHeartbeatUs = long.MaxValue;
        }
    }

    private int WriteHeartbeat(long nowUs, bool group)
    {
        Span<byte> p = PayloadBuffer;
        BinaryPrimitives.WriteUInt64BigEndian(p, _local.Delivered);
        BinaryPrimitives.WriteUInt64BigEndian(p[8..], _local.AnnouncedStable);
        int sectionBudget = _options.HeartbeatSectionBytes;
        int maxEntries = (WireCodec.MaxPayload - HeartbeatFixed - sectionBudget) / ReportEntrySize;
        int entries = WriteReports(p[HeartbeatFixedHead..], maxEntries);
        BinaryPrimitives.WriteUInt16BigEndian(p[16..], (ushort)entries);
        int offset = HeartbeatFixedHead + (entries * ReportEntrySize);
        int section = 0;
        if (HeartbeatSection is not null && sectionBudget > 0)
        {
            WritingGroupHeartbeat = group;
            section = HeartbeatSection.WriteHeartbeatSection(p.Slice(offset + 2, sectionBudget), nowUs);
            section = Math.Clamp(section, 0, sectionBudget);
            WritingGroupHeartbeat = false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(p[offset..], (ushort)section);
        return offset + 2 + section;
    }

    private DropReason HandleHeartbeat(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
        if (payload.Length < HeartbeatFixed)
        {
            return DropReason.MalformedPayload;
        }

        int entries = BinaryPrimitives.ReadUInt16BigEndian(payload[16..]);
        int offset = HeartbeatFixedHead + (entries * ReportEntrySize);
        if (payload.Length < offset + 2)
        {
            return DropReason.MalformedPayload;
        }

        int section = BinaryPrimitives.ReadUInt16BigEndian(payload[offset..]);
        if (payload.Length != offset + 2 + section)
        {
            return DropReason.MalformedPayload;
        }

        ulong highest = BinaryPrimitives.ReadUInt64BigEndian(payload);
        ulong stable = BinaryPrimitives.ReadUInt64BigEndian(payload[8..]);
        if (stable > highest)
        {
            return DropReason.MalformedPayload;
        }

        OnStreamAnnouncement(header.Sender, header.Incarnation, highest, stable, nowUs);
        ReadReports(header.Sender, payload.Slice(HeartbeatFixedHead, entries * ReportEntrySize), nowUs);
        HeartbeatSection?.ReadHeartbeatSection(header, payload.Slice(offset + 2, section), nowUs);
        return DropReason.None;
    }

    private long BackoffUs(double factor)
    {
        long max = (long)(factor * _options.RttEstimateUs);
        return NackBackoff.DelayUs(_random.NextDouble(), max, _membership.LiveCount);
    }

    private void Hint(long dueUs) => _timerHintUs = Math.Min(_timerHintUs, dueUs);
}
