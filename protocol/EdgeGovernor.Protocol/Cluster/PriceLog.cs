namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// The replicated price log of one node (Raft's log, specialised to price records keyed by interval). Sans-IO and
/// allocation-free after construction: a ring buffer of the most recent records.
/// </summary>
/// <remarks>
/// <para>The coordinator appends with <see cref="AppendAsLeader"/> (idempotent per interval) and
/// <see cref="AppendTermStart"/> (the first record of its term re-announces the price in force, or is a no-op).
/// Followers offer every record they receive to <see cref="Accept"/>, which applies Raft's log matching rule with
/// the previous term carried by the record. A record is committed once a quorum of the roster holds it: the
/// coordinator learns that from the members' heartbeats (<see cref="MatchedIndex"/> and
/// <see cref="AdvanceLeaderCommit"/>) and announces its commit index in its own heartbeat
/// (<see cref="ObserveLeader"/>).</para>
/// <para>Only committed records are compacted away when the ring is full, oldest first.</para>
/// </remarks>
public sealed class PriceLog
{
    private readonly PriceRecord[] _ring;
    private ulong _firstIndex = 1;   // index of the oldest retained record
    private ulong _lastIndex;        // 0 = empty
    private ulong _baseTerm;         // term of the record at _firstIndex - 1 (compacted), 0 if none
    private ulong _verifiedIndex;    // highest index known to match the log of the coordinator of _verifiedTerm
    private ulong _verifiedTerm;

    /// <summary>Creates an empty log holding at most <paramref name="capacity"/> records (at least 4).</summary>
    public PriceLog(int capacity = 1024)
    {
        if (capacity < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The price log needs room for at least 4 records.");
        }

        _ring = new PriceRecord[capacity];
    }

    /// <summary>The index of the last record (0 when empty).</summary>
    public ulong LastIndex => _lastIndex;

    /// <summary>The term of the last record (0 when empty).</summary>
    public ulong LastTerm => TermAt(_lastIndex);

    /// <summary>The index of the oldest record still held.</summary>
    public ulong FirstIndex => _firstIndex;

    /// <summary>The highest committed index (0 when nothing is committed).</summary>
    public ulong CommitIndex { get; private set; }

    /// <summary>Records refused because they would have removed a committed record.</summary>
    public long CommittedConflicts { get; private set; }

    /// <summary>Number of records held.</summary>
    public int Count => (int)(_lastIndex + 1 - _firstIndex);

    /// <summary>The term of the record at <paramref name="index"/>; 0 for index 0 or an index not held (except the one just below the first held).</summary>
    public ulong TermAt(ulong index)
    {
        if (index == 0 || index > _lastIndex)
        {
            return 0;
        }

        if (index < _firstIndex)
        {
            return index == _firstIndex - 1 ? _baseTerm : 0;
        }

        return Slot(index).Term;
    }

    /// <summary>The record at <paramref name="index"/>, if held.</summary>
    public bool TryGet(ulong index, out PriceRecord record)
    {
        if (index < _firstIndex || index > _lastIndex || index == 0)
        {
            record = default;
            return false;
        }

        record = Slot(index);
        return true;
    }

    /// <summary>
    /// Raft's "at least as up to date" rule: true when a log ending at (<paramref name="lastTerm"/>,
    /// <paramref name="lastIndex"/>) is at least as up to date as this one.
    /// </summary>
    public bool IsAtLeastAsUpToDate(ulong lastTerm, ulong lastIndex) =>
        lastTerm > LastTerm || (lastTerm == LastTerm && lastIndex >= _lastIndex);

    /// <summary>
    /// The coordinator of <paramref name="term"/> appends a price. Idempotent per interval: when the latest record
    /// for exactly this interval has the same price and source, nothing is appended and <see cref="PriceLogResult.Duplicate"/>
    /// is returned with that record. A different price for the same interval is appended and supersedes the earlier one.
    /// <see cref="PriceLogResult.Invalid"/> for the no-op source, an implausible interval
    /// (<see cref="Wire.WireLimits.IsPlausibleInterval"/>), a term out of range or below the last one, or a full index space.
    /// </summary>
    public PriceLogResult AppendAsLeader(ulong term, long intervalStartMs, long intervalEndMs, int priceE4, ushort source, out PriceRecord record)
    {
        record = default;
        if (source == PriceRecord.NoOpSource || !Wire.WireLimits.IsPlausibleInterval(intervalStartMs, intervalEndMs)
            || !Wire.WireLimits.IsValidTerm(term) || term < LastTerm || _lastIndex >= Wire.WireLimits.MaxLogIndex)
        {
            return PriceLogResult.Invalid;
        }

        for (ulong i = _lastIndex; i >= _firstIndex && i != 0; i--)
        {
            ref readonly PriceRecord r = ref Slot(i);
            if (r.IntervalStartMs == intervalStartMs && r.IntervalEndMs == intervalEndMs && !r.IsNoOp)
            {
                if (r.PriceE4 == priceE4 && r.Source == source)
                {
                    record = r;
                    return PriceLogResult.Duplicate;
                }

                break;
            }
        }

        return AppendNew(new PriceRecord(intervalStartMs, intervalEndMs, priceE4, source, term, _lastIndex + 1), out record);
    }

    /// <summary>
    /// A new coordinator's first act: appends the first record of <paramref name="term"/>, re-announcing the price in
    /// force at <paramref name="nowMs"/> (same interval, price and source), or a no-op record when none is in force.
    /// </summary>
    public PriceLogResult AppendTermStart(ulong term, long nowMs, out PriceRecord record)
    {
        record = default;
        if (!Wire.WireLimits.IsValidTerm(term) || term <= LastTerm || _lastIndex >= Wire.WireLimits.MaxLogIndex)
        {
            return PriceLogResult.Invalid;
        }

        PriceRecord next = GetPriceInForce(nowMs, out PriceRecord current) == PriceStatus.Fresh
            ? current with { Term = term, Index = _lastIndex + 1 }
            : new PriceRecord(0, 0, 0, PriceRecord.NoOpSource, term, _lastIndex + 1);
        return AppendNew(next, out record);
    }

    /// <summary>
    /// A follower offers a record received from the coordinator, with the term of the coordinator's previous record.
    /// Applies Raft's rules: a duplicate changes nothing; a record that does not follow the log is a
    /// <see cref="PriceLogResult.Gap"/>; a conflicting uncommitted suffix is removed before appending.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="previousTerm">The term of the record before it in the sender's log.</param>
    /// <param name="senderTerm">The term of the coordinator that sent it (a catch-up reply can carry older records);
    /// 0 means the record's own term.</param>
    public PriceLogResult Accept(in PriceRecord record, ulong previousTerm, ulong senderTerm = 0)
    {
        if (!record.IsWellFormed || previousTerm > record.Term || (senderTerm != 0 && senderTerm < record.Term))
        {
            return PriceLogResult.Invalid;
        }

        ulong verifyTerm = senderTerm == 0 ? record.Term : senderTerm;
        ulong index = record.Index;
        if (index <= _lastIndex && index >= _firstIndex)
        {
            ulong held = Slot(index).Term;
            if (held == record.Term)
            {
                MarkVerified(verifyTerm, index);
                return PriceLogResult.Duplicate;
            }

            if (held > record.Term)
            {
                return PriceLogResult.Invalid; // from a deposed coordinator
            }
        }

        if (index < _firstIndex)
        {
            // Older than anything held: it was committed and compacted here already.
            return PriceLogResult.Duplicate;
        }

        if (index > _lastIndex + 1 || TermAt(index - 1) != previousTerm)
        {
            return PriceLogResult.Gap;
        }

        if (index <= CommitIndex)
        {
            CommittedConflicts++;
            return PriceLogResult.ConflictsWithCommitted;
        }

        // Remove the conflicting suffix (Raft: delete the existing entry and all that follow it).
        _lastIndex = index - 1;
        if (_verifiedIndex > _lastIndex)
        {
            _verifiedIndex = _lastIndex;
        }

        PriceLogResult result = AppendNew(record, out _);
        if (result == PriceLogResult.Appended)
        {
            MarkVerified(verifyTerm, index);
        }

        return result;
    }

    /// <summary>
    /// A follower hears the coordinator's heartbeat: term, last index and term of its log, commit index. Advances the
    /// local commit index as far as the local log is known to match the coordinator's, and returns true when this log
    /// lags behind (a record is missing: the caller should ask the coordinator for records from <see cref="LastIndex"/> + 1).
    /// </summary>
    public bool ObserveLeader(ulong leaderTerm, ulong leaderLastIndex, ulong leaderLastTerm, ulong leaderCommit)
    {
        if (leaderLastIndex <= _lastIndex && leaderLastIndex >= _firstIndex - 1 && TermAt(leaderLastIndex) == leaderLastTerm)
        {
            MarkVerified(leaderTerm, leaderLastIndex);
        }

        if (_verifiedTerm == leaderTerm)
        {
            ulong candidate = Math.Min(leaderCommit, _verifiedIndex);
            if (candidate > CommitIndex)
            {
                CommitIndex = candidate;
            }
        }

        return leaderLastIndex > _lastIndex || (leaderLastIndex >= _firstIndex && TermAt(leaderLastIndex) != leaderLastTerm);
    }

    /// <summary>
    /// The coordinator's view of a member's report (last index and term of the member's log): the index up to which the
    /// member's log provably matches this one (Raft's log matching), or 0 when it cannot be told.
    /// </summary>
    public ulong MatchedIndex(ulong memberLastIndex, ulong memberLastTerm)
    {
        if (memberLastIndex == 0)
        {
            return 0;
        }

        return TermAt(memberLastIndex) == memberLastTerm && memberLastTerm != 0 ? memberLastIndex : 0;
    }

    /// <summary>
    /// The coordinator of <paramref name="currentTerm"/> commits the highest index that at least <paramref name="quorum"/>
    /// of <paramref name="matchedIndexes"/> (one per voter, itself included) have reached, provided that record belongs to
    /// the current term (Raft's commitment rule). Returns true when the commit index moved.
    /// </summary>
    public bool AdvanceLeaderCommit(ulong currentTerm, ReadOnlySpan<ulong> matchedIndexes, int quorum)
    {
        if (quorum <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(quorum), quorum, "The quorum must be positive.");
        }

        for (ulong n = _lastIndex; n > CommitIndex && n >= _firstIndex; n--)
        {
            if (Slot(n).Term != currentTerm)
            {
                return false; // earlier records can only be committed through a record of the current term
            }

            int holders = 0;
            foreach (ulong m in matchedIndexes)
            {
                if (m >= n)
                {
                    holders++;
                }
            }

            if (holders >= quorum)
            {
                CommitIndex = n;
                _verifiedIndex = Math.Max(_verifiedIndex, n);
                _verifiedTerm = currentTerm;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The price in force at <paramref name="nowMs"/> (unix ms): <see cref="PriceStatus.Fresh"/> with the newest record
    /// covering it; otherwise <see cref="PriceStatus.Stale"/> with the record that expired last (default when every held
    /// record lies in the future; the application applies its safe policy), or <see cref="PriceStatus.None"/> when no
    /// priced record is held.
    /// </summary>
    /// <param name="nowMs">The node's wall clock, unix milliseconds.</param>
    /// <param name="record">The record in force, or the one that expired last.</param>
    /// <param name="committedOnly">Consider only committed records.</param>
    public PriceStatus GetPriceInForce(long nowMs, out PriceRecord record, bool committedOnly = false)
    {
        record = default;
        bool haveExpired = false, haveAny = false;
        ulong top = committedOnly ? Math.Min(CommitIndex, _lastIndex) : _lastIndex;
        for (ulong i = top; i >= _firstIndex && i != 0; i--)
        {
            ref readonly PriceRecord r = ref Slot(i);
            if (r.IsNoOp)
            {
                continue;
            }

            if (r.Covers(nowMs))
            {
                record = r;
                return PriceStatus.Fresh;
            }

            haveAny = true;
            if (r.IntervalEndMs <= nowMs && (!haveExpired || r.IntervalEndMs > record.IntervalEndMs))
            {
                record = r;
                haveExpired = true;
            }
        }

        return haveAny ? PriceStatus.Stale : PriceStatus.None;
    }

    /// <summary>Copies held records from <paramref name="fromIndex"/> on into <paramref name="destination"/> (for a catch-up reply); returns how many.</summary>
    public int CopyFrom(ulong fromIndex, Span<PriceRecord> destination)
    {
        int n = 0;
        for (ulong i = Math.Max(fromIndex, _firstIndex); i <= _lastIndex && n < destination.Length; i++)
        {
            destination[n++] = Slot(i);
        }

        return n;
    }

    private PriceLogResult AppendNew(in PriceRecord record, out PriceRecord appended)
    {
        appended = default;
        if (Count == _ring.Length)
        {
            if (_firstIndex > CommitIndex)
            {
                return PriceLogResult.Full;
            }

            _baseTerm = Slot(_firstIndex).Term;
            _firstIndex++;
        }

        _lastIndex = record.Index;
        Slot(_lastIndex) = record;
        appended = record;
        return PriceLogResult.Appended;
    }

    private void MarkVerified(ulong term, ulong index)
    {
        if (term > _verifiedTerm || (term == _verifiedTerm && index > _verifiedIndex))
        {
            _verifiedTerm = term;
            _verifiedIndex = index;
        }
    }

    private ref PriceRecord Slot(ulong index) => ref _ring[(int)(index % (ulong)_ring.Length)];
}
