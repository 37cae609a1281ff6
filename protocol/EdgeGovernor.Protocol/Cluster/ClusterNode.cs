using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// One node with the cluster layer: a <see cref="ProtocolNode"/> whose failure detector is
/// <see cref="ClusterMembership"/>, plus the power-aware election (<see cref="ElectionState"/>) and the replicated price
/// log (<see cref="PriceLog"/>, its traffic in <see cref="PriceReplication"/>), plugged in through the node's extension
/// seam (message types, the price channel, the heartbeat section). Sans-IO like the node: drive it with
/// <see cref="Receive"/>, <see cref="Tick"/> and <see cref="NextDeadlineUs"/>.
/// </summary>
/// <remarks>
/// <para>Effects flow: every election call returns its <see cref="ElectionEffects"/>; <see cref="Apply"/> sends the vote
/// messages, handles leader changes (with the time they carry) and stamps the election's term into the node
/// (<see cref="ProtocolNode.Term"/> is set there only). Writing the heartbeat section only writes: on a group beat the
/// coordinator's alternates are ranked for it (<see cref="SuccessionRanking"/>), and applied to the election and the
/// fast-beat peers once the beat has gone (right after it at a leader change, else at the start of this layer's tick).</para>
/// <para>Messages: the heartbeat section (<see cref="ClusterHeartbeatSectionFrame"/>); vote and pre-vote requests and
/// responses (<see cref="VoteRequestFrame"/>, <see cref="VoteResponseFrame"/>) as single datagrams;
/// <see cref="MessageType.Probe"/> / <see cref="MessageType.ProbeAck"/> (empty); price records
/// (<see cref="PriceRecordFrame"/>) on the reliable multicast channel <see cref="ClusterOptions.PriceChannel"/>; catch-up:
/// <see cref="MessageType.PriceAck"/> (<see cref="CatchUpRequestFrame"/>) to the coordinator, answered with
/// <see cref="MessageType.PriceRecord"/> datagrams (<see cref="CatchUpReplyFrame"/>).</para>
/// </remarks>
public sealed class ClusterNode : IProtocolComponent, IHeartbeatSection, IDisposable
{
    private const int MaxAlternates = ClusterHeartbeatSectionFrame.MaxAlternates; // ElectionOptions.Alternates is at most 8

    private readonly ClusterOptions _options;
    private readonly IDeliveryHandler? _handler;
    private readonly byte[] _buffer = new byte[WireCodec.MaxPayload];
    private readonly SuccessionRanking _ranking;
    private readonly PriceReplication _prices;
    private readonly HeartbeatPlan _heartbeat;
    private readonly OwnReport _own;
    private readonly BoardSignatures _signatures;
    private long _nextRankRefreshUs;

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
        Node = node;
        Membership = node.Membership as ClusterMembership
            ?? throw new ArgumentException("The protocol node must be built with a ClusterMembership (see CreateMembership).", nameof(node));
        int coordinatorSection = ClusterHeartbeatSectionFrame.CoordinatorSizeOf(options.Election.Alternates);
        if (node.Options.HeartbeatSectionBytes < coordinatorSection)
        {
            throw new ArgumentException(
                $"NodeOptions.HeartbeatSectionBytes must be at least {coordinatorSection} (a signed coordinator section with {options.Election.Alternates} alternates); got {node.Options.HeartbeatSectionBytes}.",
                nameof(node));
        }

        Membership.ProbeSender = new ProbeDatagramSender(node);
        _signatures = new BoardSignatures(node, options.Signer, options.Verifier);
        Log = new PriceLog(options.PriceLogCapacity);
        NodeId[] roster = [.. options.Roster];
        Election = new ElectionState(node.Id, roster, options.Election, votes, random, Log);
        _ranking = new SuccessionRanking(node.Id, Membership, Election.IsInRoster, options.Thresholds, options.Election.Alternates, options.Membership.MaxMembers);
        _prices = new PriceReplication(node, Election, Log, options, _signatures);
        _heartbeat = new HeartbeatPlan(node, Membership, Election, _ranking, options, random);
        _own = new OwnReport(node, Membership, Election, _ranking, Log, _signatures);
        PeriodLimit = new AnnouncedPeriodLimit(options.Election, Membership, Election.Roster.Length);

        foreach (MessageType type in (ReadOnlySpan<MessageType>)[MessageType.VoteRequest, MessageType.PreVoteRequest, MessageType.VoteResponse,
            MessageType.PreVoteResponse, MessageType.Probe, MessageType.ProbeAck, MessageType.PriceAck, MessageType.PriceRecord])
        {
            Node.RegisterMessageType(type, this);
        }

        Node.RegisterChannel(options.PriceChannel, this);
        Node.HeartbeatSection = this;
        Membership.ExpectedMembers = roster.Length;
        Node.HeartbeatIntervalUs = Membership.MemberPeriodUs;
        Node.HeartbeatJitter = options.Membership.HeartbeatJitter;

        RefreshRank();
        Election.Start(nowUs);
        Apply(default); // no effects: stamps the restored term into the node
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
    public IPriceLogListener? PriceListener
    {
        get => _prices.Listener;
        set => _prices.Listener = value;
    }

    /// <summary>Microseconds to add to the monotonic clock to get unix time (the application keeps it current).</summary>
    public long UnixEpochOffsetUs { get; set; }

    /// <summary>True while this node is the coordinator.</summary>
    public bool IsCoordinator => Election.Role == ElectionRole.Leader;

    /// <summary>Catch-up requests sent.</summary>
    public long CatchUpRequests => _prices.CatchUpRequests;

    /// <summary>Cluster messages that failed to parse (counted and dropped).</summary>
    public long Malformed { get; private set; }

    /// <summary>Authority-carrying messages refused for a bad or missing signature, a replayed coordinator beat or a vote
    /// response for another candidate (also counted as <see cref="DropReason.BadSignature"/> in the node's counters).</summary>
    public long SignaturesRefused => _signatures.Refused;

    /// <summary>The bound on the heartbeat periods senders announce, and how often it clamped one.</summary>
    internal AnnouncedPeriodLimit PeriodLimit { get; }

    /// <summary>The term and period guards' counters (terms refused, candidacies refused at the ceiling, periods clamped).</summary>
    public ClusterGuardCounters GuardCounters =>
        new(Election.Terms.TermJumpsRefused, Election.Terms.StandsRefusedAtTermCeiling, PeriodLimit.PeriodsClamped);

    /// <summary>When <see cref="Tick"/> should next run (the protocol node's timers and this layer's).</summary>
    public long NextDeadlineUs => Node.NextDeadlineUs;

    /// <inheritdoc/>
    long IProtocolComponent.NextDeadlineUs =>
        !Election.Leader.IsValid && Election.IsVoter ? Math.Min(Election.NextDeadlineUs, _nextRankRefreshUs) : Election.NextDeadlineUs;

    /// <summary>Sets the load figures this node reports (utilization in basis points, capacity, health: 0 = healthy).</summary>
    public void SetLoad(ushort utilizationBp, uint capacity, byte health = 0) => _own.SetLoad(utilizationBp, capacity, health);

    /// <summary>Handles a datagram (see <see cref="ProtocolNode.Receive"/>).</summary>
    public ReceiveResult Receive(ReadOnlySpan<byte> datagram, long nowUs) => Node.Receive(datagram, nowUs);

    /// <summary>Runs the timers (see <see cref="ProtocolNode.Tick"/>); this component is ticked by the node.</summary>
    public void Tick(long nowUs) => Node.Tick(nowUs);

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
            _prices.Announce(record, nowUs);
        }

        return result;
    }

    /// <summary>The price in force at the node's own clock, or the stale / none signal.</summary>
    public PriceStatus GetPriceInForce(long nowUs, out PriceRecord record) =>
        Log.GetPriceInForce(UnixMs(nowUs), out record);

    /// <summary>Unix milliseconds at monotonic <paramref name="nowUs"/>.</summary>
    public long UnixMs(long nowUs) => (nowUs + UnixEpochOffsetUs) / 1000;

    /// <inheritdoc/>
    public void Dispose() => Node.Dispose();

    /// <inheritdoc/>
    void IProtocolComponent.Tick(long nowUs)
    {
        _heartbeat.ApplyRankedAlternates(); // of the group heartbeat the node may just have sent in this tick
        if (!Election.Leader.IsValid && Election.IsVoter && nowUs >= _nextRankRefreshUs)
        {
            RefreshRank();
            _nextRankRefreshUs = nowUs + _options.RankRefreshUs;
        }

        Apply(Election.Tick(nowUs));
        _heartbeat.Refresh(nowUs);
    }

    /// <inheritdoc/>
    void IProtocolComponent.OnDatagram(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
        NodeId sender = header.Sender;
        switch (header.Type)
        {
            case MessageType.VoteRequest:
            case MessageType.PreVoteRequest:
                if (!VoteRequestFrame.TryRead(payload, out VoteRequestFrame request) || request.Type != header.Type)
                {
                    Malformed++;
                }
                else if (_signatures.VerifyDatagram(header, payload[..VoteRequestFrame.SignedSize], VoteRequestFrame.Signature(payload)))
                {
                    Apply(Election.OnVoteRequest(sender, request, nowUs));
                }

                break;
            case MessageType.VoteResponse:
            case MessageType.PreVoteResponse:
                if (!VoteResponseFrame.TryRead(payload, out VoteResponseFrame response) || response.Type != header.Type)
                {
                    Malformed++;
                }
                else if (_signatures.VerifyDatagram(header, payload[..VoteResponseFrame.SignedSize], VoteResponseFrame.Signature(payload))
                    && (response.Candidate == Node.Id || _signatures.Refuse()))
                {
                    Apply(Election.OnVoteResponse(sender, response, nowUs));
                }

                break;
            case MessageType.Probe:
                Node.SendDatagram(Destination.To(sender), MessageType.ProbeAck, []);
                break;
            case MessageType.ProbeAck:
                break; // the membership view already counted it as a sign of life
            case MessageType.PriceAck:
                if (!CatchUpRequestFrame.TryRead(payload, out CatchUpRequestFrame catchUp))
                {
                    Malformed++;
                }
                else if (IsCoordinator)
                {
                    _prices.SendCatchUp(sender, catchUp.FromIndex);
                }

                break;
            case MessageType.PriceRecord:
                ReadCatchUp(header, payload, nowUs);
                break;
        }
    }

    /// <inheritdoc/>
    void IProtocolComponent.OnMulticast(NodeId sender, ulong sequence, byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
        if (channel != _options.PriceChannel || !PriceRecordFrame.TryRead(payload, out PriceRecordFrame frame))
        {
            Malformed++;
            return;
        }

        if (sender == Node.Id)
        {
            return; // our own record, delivered back to us
        }

        // The origin of the stream must be the record's signer (whoever repaired it), and the signature must verify.
        if ((frame.Signer == sender || _signatures.Refuse()) && _signatures.VerifyRecord(payload, sender))
        {
            OfferRecord(sender, frame, PriceRecordFrame.Signature(payload), frame.Record.Term, announces: true, nowUs);
        }
    }

    /// <inheritdoc/>
    int IHeartbeatSection.WriteHeartbeatSection(Span<byte> destination, long nowUs) => _own.WriteSection(destination);

    /// <inheritdoc/>
    void IHeartbeatSection.ReadHeartbeatSection(in MessageHeader header, ReadOnlySpan<byte> section, long nowUs)
    {
        if (!ClusterHeartbeatSectionFrame.TryRead(section, out ClusterHeartbeatSectionFrame frame))
        {
            Malformed++;
            return;
        }

        NodeId sender = header.Sender;
        if (frame.IsCoordinator
            && (!_signatures.VerifyDatagram(header, ClusterHeartbeatSectionFrame.SignedPart(section), ClusterHeartbeatSectionFrame.Signature(section))
                || !_signatures.TakeBeat(sender, header.Incarnation, frame.Beat)))
        {
            return; // a coordinator's section is used only signed and fresh
        }

        long periodUs = PeriodLimit.Read(frame.PeriodMs, frame.IsCoordinator);
        var report = new MemberReport(frame.UtilizationBp, frame.Capacity, frame.Health, periodUs, frame.LastLogIndex, frame.LastLogTerm);
        Membership.OnReport(sender, header.Incarnation, report);
        if (!frame.IsCoordinator)
        {
            Election.OnMemberContact(sender, nowUs);
            if (IsCoordinator)
            {
                _prices.NoteMatch(sender, report.LastLogIndex, report.LastLogTerm, nowUs);
            }

            return;
        }

        Span<NodeId> alternates = stackalloc NodeId[MaxAlternates];
        int k = ClusterHeartbeatSectionFrame.ReadAlternates(section, alternates[.._ranking.Capacity]);
        bool accepted = Election.OnCoordinatorHeartbeat(sender, header.Term, alternates[..k], nowUs, out ElectionEffects effects);
        Apply(effects);
        if (accepted)
        {
            Election.CoordinatorGroupPeriodUs = report.PeriodUs;
            if (sender != _heartbeat.DirectPeer)
            {
                _heartbeat.UpdateDirectBeat(nowUs);
            }

            _prices.ObserveCoordinator(sender, header.Term, report.LastLogIndex, report.LastLogTerm, frame.CommitIndex, nowUs);
        }
    }

    /// <summary>
    /// Carries out what the election asked for, in order (a leader change with the time it carries), then stamps the
    /// election's term into the node. Messages before a leader change leave with the term the node had; a leader change
    /// stamps its own term first, so what it sends goes out in that term.
    /// </summary>
    private void Apply(in ElectionEffects effects)
    {
        for (int i = 0; i < effects.Count; i++)
        {
            ElectionEffect effect = effects[i];
            switch (effect.Kind)
            {
                case ElectionEffectKind.BroadcastVoteRequest:
                    effect.Request.TryWrite(_buffer);
                    _signatures.SignDatagram(effect.Request.Type, _buffer, VoteRequestFrame.SignedSize, VoteRequestFrame.SignatureArea(_buffer));
                    Node.SendDatagram(Destination.Group, effect.Request.Type, _buffer.AsSpan(0, VoteRequestFrame.Size));
                    break;
                case ElectionEffectKind.SendVoteResponse:
                    effect.Response.TryWrite(_buffer);
                    _signatures.SignDatagram(effect.Response.Type, _buffer, VoteResponseFrame.SignedSize, VoteResponseFrame.SignatureArea(_buffer));
                    Node.SendDatagram(Destination.To(effect.Node), effect.Response.Type, _buffer.AsSpan(0, VoteResponseFrame.Size));
                    break;
                case ElectionEffectKind.LeaderChanged:
                    StampTerm(effect.Term);
                    OnLeaderChanged(effect.Node, effect.Term, effect.AtUs);
                    break;
            }
        }

        StampTerm(Election.CurrentTerm);
    }

    /// <summary>The only writer of <see cref="ProtocolNode.Term"/>: the term stamped into every header is the election's.</summary>
    private void StampTerm(ulong term) => Node.Term = term;

    private void OnLeaderChanged(NodeId leader, ulong term, long nowUs)
    {
        _handler?.OnLeadershipChanged(leader, term);
        if (leader != Node.Id)
        {
            _heartbeat.Follow(nowUs, leader);
            if (!leader.IsValid)
            {
                _nextRankRefreshUs = nowUs; // refresh the rank before the election needs it
            }

            return;
        }

        _prices.ForgetMatches();
        _heartbeat.Lead(nowUs);
        if (Log.AppendTermStart(term, UnixMs(nowUs), out PriceRecord first) == PriceLogResult.Appended)
        {
            _prices.Announce(first, nowUs);
        }

        Node.SendHeartbeatNow(nowUs);
        _heartbeat.ApplyRankedAlternates();
    }

    /// <summary>
    /// A verified record (with its <paramref name="signature"/>) from <paramref name="sender"/> in
    /// <paramref name="senderTerm"/>: taken only from the coordinator of the current term. The first record of a new term,
    /// signed by its maker, announces its coordinator (<paramref name="announces"/>); a catch-up reply does not (its sender
    /// relays records others signed), so it is taken only from the coordinator already followed.
    /// </summary>
    private void OfferRecord(NodeId sender, in PriceRecordFrame frame, ReadOnlySpan<byte> signature, ulong senderTerm, bool announces, long nowUs)
    {
        if (senderTerm < Election.CurrentTerm)
        {
            return; // from a deposed coordinator
        }

        if (senderTerm > Election.CurrentTerm || !Election.Leader.IsValid)
        {
            if (!announces)
            {
                return;
            }

            bool accepted = Election.OnCoordinatorHeartbeat(sender, senderTerm, Election.Leader == sender ? Election.Alternates : [], nowUs, out ElectionEffects effects);
            Apply(effects);
            if (!accepted)
            {
                return;
            }
        }
        else if (Election.Leader != sender)
        {
            return;
        }

        _prices.Accept(sender, frame, signature, senderTerm, nowUs);
    }

    private void ReadCatchUp(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
        if (!CatchUpReplyFrame.TryRead(payload, out CatchUpReplyFrame reply))
        {
            Malformed++;
            return;
        }

        for (int i = 0; i < reply.Count; i++)
        {
            if (!reply.TryGetRecord(i, out PriceRecordFrame frame))
            {
                Malformed++;
                return;
            }

            // Each record is verified against its own signer, a voter (only voters coordinate), whoever relays it.
            ReadOnlySpan<byte> bytes = reply.RecordBytes(i);
            if (!(Election.IsInRoster(frame.Signer) || _signatures.Refuse()) || !_signatures.VerifyRecord(bytes, frame.Signer))
            {
                return;
            }

            OfferRecord(header.Sender, frame, PriceRecordFrame.Signature(bytes), header.Term, announces: false, nowUs);
        }
    }

    private void RefreshRank()
    {
        _own.Publish();
        Election.SuccessionRank = _ranking.OwnRank();
    }
}
