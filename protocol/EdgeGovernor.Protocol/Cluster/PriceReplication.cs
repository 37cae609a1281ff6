using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// The price log's traffic for one node: the coordinator announces its records on the reliable multicast channel,
/// tracks what each voter holds (from their heartbeats) and commits once a quorum holds a record of its term; a
/// follower accepts the coordinator's records (Raft's log matching), follows its commit index, and asks it for the
/// records it lacks (catch-up, rate-limited), which the coordinator answers with up to 20 × 10 records at once.
/// Which sender counts as the coordinator is the election's decision (<see cref="ClusterNode"/> checks it first, and
/// verifies each record's signature). The coordinator signs every record it makes; every record held keeps its
/// signature (<see cref="PriceSeals"/>) and travels with it in catch-up replies.
/// </summary>
internal sealed class PriceReplication
{
    private const int MaxCatchUpDatagrams = 20;

    private readonly ProtocolNode _node;
    private readonly ElectionState _election;
    private readonly ClusterOptions _options;
    private readonly BoardSignatures _signatures;
    private readonly PriceSeals _seals;
    private readonly byte[] _catchUpSignatures = new byte[CatchUpReplyFrame.MaxRecords * SignatureFormat.SignatureSize];
    private readonly byte[] _buffer = new byte[WireCodec.MaxPayload];
    private readonly ulong[] _matched;
    private readonly PriceRecord[] _catchUp = new PriceRecord[CatchUpReplyFrame.MaxRecords];
    private readonly PriceRecordFrame[] _catchUpFrames = new PriceRecordFrame[CatchUpReplyFrame.MaxRecords];
    private long _lastCatchUpUs = long.MinValue / 2;

    /// <summary>Replicates <paramref name="log"/> through <paramref name="node"/> for <paramref name="election"/>'s roster.</summary>
    public PriceReplication(ProtocolNode node, ElectionState election, PriceLog log, ClusterOptions options, BoardSignatures signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        _node = node;
        _election = election;
        Log = log;
        _options = options;
        _signatures = signatures;
        _seals = new PriceSeals(options.PriceLogCapacity);
        _matched = new ulong[election.Roster.Length];
    }

    /// <summary>The replicated log.</summary>
    public PriceLog Log { get; }

    /// <summary>Optional listener for records held and commits.</summary>
    public IPriceLogListener? Listener { get; set; }

    /// <summary>Catch-up requests sent.</summary>
    public long CatchUpRequests { get; private set; }

    /// <summary>This node starts to coordinate: nothing is known about what the others hold.</summary>
    public void ForgetMatches() => Array.Clear(_matched);

    /// <summary>The coordinator appended <paramref name="record"/>: sign it, keep the signature, multicast it (if the window
    /// is full, followers catch up) and commit what a quorum holds.</summary>
    public void Announce(in PriceRecord record, long nowUs)
    {
        Listener?.OnRecordHeld(record, nowUs);
        new PriceRecordFrame(record, Log.TermAt(record.Index - 1), _node.Id).TryWrite(_buffer);
        _signatures.SignRecord(_buffer);
        _seals.Store(record.Index, record.Term, _node.Id, PriceRecordFrame.SignatureArea(_buffer));
        _node.TryPublish(_options.PriceChannel, _buffer.AsSpan(0, PriceRecordFrame.Size), nowUs);
        AdvanceCommit(nowUs);
    }

    /// <summary>The coordinator heard <paramref name="member"/> report its last record: count what it holds of our log.</summary>
    public void NoteMatch(NodeId member, ulong lastIndex, ulong lastTerm, long nowUs)
    {
        int slot = _election.Roster.BinarySearch(member, NodeIdComparer.Instance);
        if (slot < 0)
        {
            return;
        }

        _matched[slot] = Log.MatchedIndex(lastIndex, lastTerm);
        AdvanceCommit(nowUs);
    }

    /// <summary>A verified record (its <paramref name="signature"/> by <see cref="PriceRecordFrame.Signer"/>) of
    /// <paramref name="senderTerm"/> from the coordinator <paramref name="sender"/>: log matching (a record held keeps its
    /// signature), and catch-up on a gap.</summary>
    public void Accept(NodeId sender, in PriceRecordFrame frame, ReadOnlySpan<byte> signature, ulong senderTerm, long nowUs)
    {
        PriceLogResult result = Log.Accept(frame.Record, frame.PreviousTerm, senderTerm);
        if (result == PriceLogResult.Appended)
        {
            _seals.Store(frame.Record.Index, frame.Record.Term, frame.Signer, signature);
            Listener?.OnRecordHeld(frame.Record, nowUs);
        }
        else if (result == PriceLogResult.Gap)
        {
            RequestCatchUp(sender, nowUs);
        }
    }

    /// <summary>The coordinator's heartbeat of <paramref name="term"/>: follow its commit index, catch up when behind.</summary>
    public void ObserveCoordinator(NodeId coordinator, ulong term, ulong lastIndex, ulong lastTerm, ulong commitIndex, long nowUs)
    {
        ulong before = Log.CommitIndex;
        bool lagging = Log.ObserveLeader(term, lastIndex, lastTerm, commitIndex);
        if (Log.CommitIndex != before)
        {
            Listener?.OnCommitted(Log.CommitIndex, nowUs);
        }

        if (lagging)
        {
            RequestCatchUp(coordinator, nowUs);
        }
    }

    /// <summary>
    /// Answers a follower's catch-up request. A follower whose log diverged asks from its own end, so the answer starts a
    /// little earlier (half a reply) for log matching to repair it; up to 20 replies of 10 records go at once, so a
    /// restarted node catches up in one round trip. Each record goes with the signature it was made with; the reply stops
    /// before a record whose signature is not held.
    /// </summary>
    public void SendCatchUp(NodeId follower, ulong fromIndex)
    {
        const ulong Back = CatchUpReplyFrame.MaxRecords / 2;
        ulong from = fromIndex > Back ? fromIndex - Back : 1;
        for (int d = 0; d < MaxCatchUpDatagrams && from <= Log.LastIndex; d++)
        {
            int n = Log.CopyFrom(from, _catchUp);
            if (n == 0)
            {
                return;
            }

            for (int i = 0; i < n; i++)
            {
                if (!_seals.TryGet(_catchUp[i].Index, _catchUp[i].Term, out NodeId signer, out ReadOnlySpan<byte> signature))
                {
                    n = i;
                    break;
                }

                _catchUpFrames[i] = new PriceRecordFrame(_catchUp[i], Log.TermAt(_catchUp[i].Index - 1), signer);
                signature.CopyTo(_catchUpSignatures.AsSpan(i * SignatureFormat.SignatureSize));
            }

            if (n == 0)
            {
                return;
            }

            CatchUpReplyFrame.TryWrite(_buffer, _catchUpFrames.AsSpan(0, n), _catchUpSignatures, out int length);
            _node.SendDatagram(Destination.To(follower), MessageType.PriceRecord, _buffer.AsSpan(0, length));
            from = _catchUp[n - 1].Index + 1;
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
        new CatchUpRequestFrame(Log.LastIndex + 1).TryWrite(_buffer);
        _node.SendDatagram(Destination.To(coordinator), MessageType.PriceAck, _buffer.AsSpan(0, CatchUpRequestFrame.Size));
    }

    private void AdvanceCommit(long nowUs)
    {
        int self = _election.Roster.BinarySearch(_node.Id, NodeIdComparer.Instance);
        if (self >= 0)
        {
            _matched[self] = Log.LastIndex;
        }

        if (Log.AdvanceLeaderCommit(_election.CurrentTerm, _matched, _election.Quorum))
        {
            Listener?.OnCommitted(Log.CommitIndex, nowUs);
        }
    }

    private sealed class NodeIdComparer : IComparer<NodeId>
    {
        public static readonly NodeIdComparer Instance = new();

        public int Compare(NodeId x, NodeId y) => x.Value.CompareTo(y.Value);
    }
}
