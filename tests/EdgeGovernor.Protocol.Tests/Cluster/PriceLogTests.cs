using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class PriceLogTests
{
    private const long Hour = 3_600_000;
    private const long T0 = 1_704_067_200_000; // 2024-01-01T00:00Z

    [Fact]
    public void Same_interval_twice_is_idempotent_and_a_different_price_supersedes()
    {
        var log = new PriceLog();
        Assert.Equal(PriceLogResult.Appended, log.AppendAsLeader(1, T0, T0 + Hour, 123_400, 1, out PriceRecord first));
        Assert.Equal(PriceLogResult.Duplicate, log.AppendAsLeader(1, T0, T0 + Hour, 123_400, 1, out PriceRecord again));
        Assert.Equal(first, again);
        Assert.Equal(1ul, log.LastIndex);

        Assert.Equal(PriceLogResult.Appended, log.AppendAsLeader(1, T0, T0 + Hour, 99_000, 1, out PriceRecord corrected));
        Assert.Equal(2ul, corrected.Index);
        Assert.Equal(PriceStatus.Fresh, log.GetPriceInForce(T0 + 10, out PriceRecord inForce));
        Assert.Equal(99_000, inForce.PriceE4);
        Assert.Equal(9.9, inForce.CentsPerKWh, 10);
    }

    [Fact]
    public void Leader_append_rejects_bad_input()
    {
        var log = new PriceLog();
        Assert.Equal(PriceLogResult.Invalid, log.AppendAsLeader(1, T0, T0, 1, 1, out _));
        Assert.Equal(PriceLogResult.Invalid, log.AppendAsLeader(1, T0, T0 + 1, 1, PriceRecord.NoOpSource, out _));
        Assert.Equal(PriceLogResult.Invalid, log.AppendAsLeader(0, T0, T0 + 1, 1, 1, out _));
        log.AppendAsLeader(5, T0, T0 + 1, 1, 1, out _);
        Assert.Equal(PriceLogResult.Invalid, log.AppendAsLeader(4, T0 + 1, T0 + 2, 1, 1, out _));
    }

    [Fact]
    public void Staleness_and_none()
    {
        var log = new PriceLog();
        Assert.Equal(PriceStatus.None, log.GetPriceInForce(T0, out _));
        log.AppendAsLeader(1, T0, T0 + Hour, 5, 1, out _);
        log.AppendAsLeader(1, T0 + Hour, T0 + (2 * Hour), 6, 1, out _);
        Assert.Equal(PriceStatus.Fresh, log.GetPriceInForce(T0 + Hour - 1, out PriceRecord r));
        Assert.Equal(5, r.PriceE4);
        Assert.Equal(PriceStatus.Fresh, log.GetPriceInForce(T0 + Hour, out r));
        Assert.Equal(6, r.PriceE4);
        Assert.Equal(PriceStatus.Stale, log.GetPriceInForce(T0 + (2 * Hour), out r));
        Assert.Equal(6, r.PriceE4); // the one that expired last
        Assert.Equal(PriceStatus.Stale, log.GetPriceInForce(T0 - 1, out _)); // only future records: nothing applies
        Assert.Equal(PriceStatus.None, log.GetPriceInForce(T0 + 10, out _, committedOnly: true));
    }

    [Fact]
    public void Term_start_reannounces_the_price_in_force_or_appends_a_no_op()
    {
        var leader = new PriceLog();
        Assert.Equal(PriceLogResult.Appended, leader.AppendTermStart(1, T0, out PriceRecord noop));
        Assert.True(noop.IsNoOp);
        Assert.Equal(PriceStatus.None, leader.GetPriceInForce(T0, out _));

        leader.AppendAsLeader(1, T0, T0 + Hour, 777, 3, out _);
        Assert.Equal(PriceLogResult.Invalid, leader.AppendTermStart(1, T0 + 5, out _)); // same term twice
        Assert.Equal(PriceLogResult.Appended, leader.AppendTermStart(2, T0 + 5, out PriceRecord again));
        Assert.Equal((T0, T0 + Hour, 777, (ushort)3, 2ul, 3ul), (again.IntervalStartMs, again.IntervalEndMs, again.PriceE4, again.Source, again.Term, again.Index));

        Assert.Equal(PriceLogResult.Appended, leader.AppendTermStart(3, T0 + Hour + 1, out PriceRecord expired));
        Assert.True(expired.IsNoOp); // nothing in force any more: a no-op
    }

    [Fact]
    public void Follower_accepts_in_order_ignores_duplicates_and_reports_gaps()
    {
        var leader = new PriceLog();
        var follower = new PriceLog();
        var records = new List<(PriceRecord Record, ulong Prev)>();
        for (int i = 0; i < 5; i++)
        {
            leader.AppendAsLeader(1, T0 + (i * Hour), T0 + ((i + 1) * Hour), i, 1, out PriceRecord r);
            records.Add((r, leader.TermAt(r.Index - 1)));
        }

        Assert.Equal(PriceLogResult.Appended, follower.Accept(records[0].Record, records[0].Prev));
        Assert.Equal(PriceLogResult.Duplicate, follower.Accept(records[0].Record, records[0].Prev));
        Assert.Equal(PriceLogResult.Gap, follower.Accept(records[2].Record, records[2].Prev));
        Assert.Equal(PriceLogResult.Appended, follower.Accept(records[1].Record, records[1].Prev));
        Assert.Equal(PriceLogResult.Appended, follower.Accept(records[2].Record, records[2].Prev));
        Assert.Equal(3ul, follower.LastIndex);
        Assert.True(follower.ObserveLeader(1, leader.LastIndex, leader.LastTerm, 0)); // lags
        Assert.Equal(PriceLogResult.Invalid, follower.Accept(records[3].Record with { Term = 0 }, 1));
        Assert.Equal(PriceLogResult.Invalid, follower.Accept(records[3].Record, 2)); // previous term above the term
    }

    [Fact]
    public void Conflicting_uncommitted_suffix_is_replaced_but_a_committed_record_never_is()
    {
        var follower = new PriceLog();
        var a1 = new PriceRecord(T0, T0 + Hour, 1, 1, 1, 1);
        var a2 = new PriceRecord(T0 + Hour, T0 + (2 * Hour), 2, 1, 1, 2);
        var a3 = new PriceRecord(T0 + (2 * Hour), T0 + (3 * Hour), 3, 1, 1, 3);
        follower.Accept(a1, 0);
        follower.Accept(a2, 1);
        follower.Accept(a3, 1);

        // Leader of term 1 committed index 1 only; the new leader of term 2 never had records 2 and 3.
        Assert.False(follower.ObserveLeader(1, 3, 1, 1));
        Assert.Equal(1ul, follower.CommitIndex);
        var b2 = new PriceRecord(T0, T0 + Hour, 1, 1, 2, 2); // term start record of term 2 at index 2
        Assert.Equal(PriceLogResult.Appended, follower.Accept(b2, 1));
        Assert.Equal(2ul, follower.LastIndex);
        Assert.Equal(2ul, follower.LastTerm);
        Assert.False(follower.TryGet(3, out _));

        // A delayed record of the deposed leader cannot overwrite term 2's record.
        Assert.Equal(PriceLogResult.Invalid, follower.Accept(a2, 1));

        // A rogue record conflicting with the committed index 1 is refused and counted.
        follower.ObserveLeader(2, 2, 2, 2);
        Assert.Equal(2ul, follower.CommitIndex);
        var rogue = new PriceRecord(T0, T0 + Hour, 42, 1, 3, 2);
        Assert.Equal(PriceLogResult.ConflictsWithCommitted, follower.Accept(rogue, 1));
        Assert.Equal(1, follower.CommittedConflicts);
    }

    [Fact]
    public void Leader_commits_a_current_term_record_once_a_quorum_holds_it()
    {
        var leader = new PriceLog();
        leader.AppendAsLeader(1, T0, T0 + Hour, 1, 1, out _);   // index 1, term 1 (never committed in term 1)
        leader.AppendTermStart(2, T0 + 1, out _);                // index 2, term 2

        // Roster of 5: the leader plus four voters. Matches from heartbeats (last index, last term).
        ulong[] matched =
        [
            leader.LastIndex,
            leader.MatchedIndex(2, 2),
            leader.MatchedIndex(1, 1),
            leader.MatchedIndex(2, 1), // wrong term at index 2: cannot be told
            leader.MatchedIndex(0, 0),
        ];
        Assert.Equal([2ul, 2, 1, 0, 0], matched);
        Assert.False(leader.AdvanceLeaderCommit(2, matched, quorum: 3)); // only 2 hold index 2; index 1 is of term 1
        Assert.Equal(0ul, leader.CommitIndex);

        matched[2] = leader.MatchedIndex(2, 2);
        Assert.True(leader.AdvanceLeaderCommit(2, matched, quorum: 3));
        Assert.Equal(2ul, leader.CommitIndex); // commits index 1 too (through the term-2 record)
        Assert.Equal(PriceStatus.Fresh, leader.GetPriceInForce(T0 + 5, out _, committedOnly: true));
    }

    [Fact]
    public void Follower_commit_is_bounded_by_what_matches_the_current_leader()
    {
        var follower = new PriceLog();
        follower.Accept(new PriceRecord(T0, T0 + Hour, 1, 1, 1, 1), 0);
        follower.Accept(new PriceRecord(T0 + Hour, T0 + (2 * Hour), 2, 1, 1, 2), 1); // uncommitted, term 1

        // New leader of term 2 has index 1 only then appends its term start at 2 and commits up to 3 later.
        // Its heartbeat says last (3, 2), commit 3: this follower's index 2 is of term 1 and must not be committed.
        Assert.True(follower.ObserveLeader(2, 3, 2, 3));
        Assert.Equal(0ul, follower.CommitIndex);
    }

    [Fact]
    public void Up_to_date_rule_compares_last_term_then_last_index()
    {
        var log = new PriceLog();
        log.Accept(new PriceRecord(T0, T0 + Hour, 1, 1, 2, 1), 0);
        log.Accept(new PriceRecord(T0, T0 + Hour, 1, 1, 2, 2), 2);
        Assert.True(log.IsAtLeastAsUpToDate(3, 1));
        Assert.True(log.IsAtLeastAsUpToDate(2, 2));
        Assert.False(log.IsAtLeastAsUpToDate(2, 1));
        Assert.False(log.IsAtLeastAsUpToDate(1, 100));
    }

    [Fact]
    public void Ring_compacts_committed_records_and_refuses_when_full_of_uncommitted()
    {
        var log = new PriceLog(capacity: 4);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(PriceLogResult.Appended, log.AppendAsLeader(1, T0 + i, T0 + i + 1, i, 1, out _));
        }

        Assert.Equal(PriceLogResult.Full, log.AppendAsLeader(1, T0 + 10, T0 + 11, 0, 1, out _));
        Assert.True(log.AdvanceLeaderCommit(1, [2ul, 2, 2], 2));
        Assert.Equal(PriceLogResult.Appended, log.AppendAsLeader(1, T0 + 10, T0 + 11, 0, 1, out _));
        Assert.Equal(PriceLogResult.Appended, log.AppendAsLeader(1, T0 + 11, T0 + 12, 0, 1, out _));
        Assert.Equal(PriceLogResult.Full, log.AppendAsLeader(1, T0 + 12, T0 + 13, 0, 1, out _));
        Assert.Equal(3ul, log.FirstIndex);
        Assert.Equal(1ul, log.TermAt(2)); // the compacted base term still answers for log matching

        var follower = new PriceLog();
        var copy = new PriceRecord[8];
        int n = log.CopyFrom(1, copy);
        Assert.Equal(4, n);
        Assert.Equal(3ul, copy[0].Index);
    }

    [Fact]
    public void Euro_per_mwh_conversion()
    {
        Assert.Equal(123_400, PriceRecord.PriceE4FromEuroPerMWh(123.4)); // 123.4 EUR/MWh = 12.34 c/kWh
        Assert.Equal(-5_000, PriceRecord.PriceE4FromEuroPerMWh(-5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PriceRecord.PriceE4FromEuroPerMWh(double.NaN));
    }
}
