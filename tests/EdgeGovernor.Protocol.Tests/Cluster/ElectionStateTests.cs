using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class ElectionStateTests
{
    private static readonly NodeId N1 = new(1), N2 = new(2), N3 = new(3), N4 = new(4), N5 = new(5), Outsider = new(99);
    private static readonly NodeId[] Five = [N1, N2, N3, N4, N5];

    /// <summary>Records outputs and store writes in one sequence, to check what happened before what.</summary>
    private sealed class Recorder : IElectionOutput, IVoteStore
    {
        private PersistentVote _saved;

        public List<string> Events { get; } = [];

        public List<(NodeId To, VoteResponse Response)> Responses { get; } = [];

        public List<VoteRequest> Requests { get; } = [];

        public PersistentVote Load() => _saved;

        public void Save(PersistentVote vote)
        {
            _saved = vote;
            Events.Add($"save {vote.Term} {vote.VotedFor}");
        }

        public void BroadcastVoteRequest(in VoteRequest request)
        {
            Requests.Add(request);
            Events.Add($"request {request.Term} pre={request.PreVote}");
        }

        public void SendVoteResponse(NodeId candidate, in VoteResponse response)
        {
            Responses.Add((candidate, response));
            Events.Add($"response {candidate} {response.Term} {response.Granted} pre={response.PreVote}");
        }

        public void OnLeaderChanged(NodeId leader, ulong term) => Events.Add($"leader {leader} {term}");
    }

    private static ElectionState Make(Recorder r, NodeId self, PriceLog? log = null, ElectionOptions? options = null, NodeId[]? roster = null) =>
        new(self, roster ?? Five, options ?? new ElectionOptions(), r, new SplitMix64Random(3), r, log ?? new PriceLog());

    [Fact]
    public void Vote_is_persisted_before_it_is_sent_and_only_one_per_term_survives_a_restart()
    {
        var r = new Recorder();
        ElectionState voter = Make(r, N1);
        voter.Start(0);
        voter.OnVoteRequest(N2, new VoteRequest(5, 0, 0, PreVote: false), 1_000_000);
        Assert.Equal(["save 5 n0", "save 5 n2", "response n2 5 True pre=False"], r.Events);
        Assert.Equal((5ul, N2), (voter.CurrentTerm, voter.VotedFor));

        voter.OnVoteRequest(N3, new VoteRequest(5, 0, 0, PreVote: false), 1_000_100);
        Assert.False(r.Responses[^1].Response.Granted);

        // Crash and restart from the same store: the vote of term 5 is remembered.
        var restarted = Make(r, N1);
        restarted.Start(2_000_000);
        Assert.Equal((5ul, N2), (restarted.CurrentTerm, restarted.VotedFor));
        restarted.OnVoteRequest(N3, new VoteRequest(5, 0, 0, PreVote: false), 2_000_100);
        Assert.False(r.Responses[^1].Response.Granted);
        int saves = r.Events.Count(e => e.StartsWith("save", StringComparison.Ordinal));
        restarted.OnVoteRequest(N2, new VoteRequest(5, 0, 0, PreVote: false), 2_000_200);
        Assert.True(r.Responses[^1].Response.Granted); // the same candidate again: granted, no new save needed
        Assert.Equal(saves, r.Events.Count(e => e.StartsWith("save", StringComparison.Ordinal)));
    }

    [Fact]
    public void Candidate_persists_its_own_vote_before_requesting()
    {
        var r = new Recorder();
        ElectionState c = Make(r, N1, options: new ElectionOptions { UsePreVote = false });
        c.Start(0);
        c.Tick(c.NextDeadlineUs);
        Assert.Equal(ElectionRole.Candidate, c.Role);
        Assert.Equal(["save 1 n1", "request 1 pre=False"], r.Events);
    }

    [Fact]
    public void Voter_refuses_a_candidate_whose_log_is_behind()
    {
        var log = new PriceLog();
        log.Accept(new PriceRecord(0, 10, 1, 1, 3, 1), 0);
        log.Accept(new PriceRecord(10, 20, 1, 1, 3, 2), 3);
        var r = new Recorder();
        ElectionState voter = Make(r, N1, log);
        voter.Start(0);

        voter.OnVoteRequest(N2, new VoteRequest(4, 5, 2, PreVote: false), 1_000_000); // older last term
        Assert.False(r.Responses[^1].Response.Granted);
        Assert.Equal(4ul, voter.CurrentTerm); // the term is adopted all the same
        voter.OnVoteRequest(N3, new VoteRequest(4, 1, 3, PreVote: false), 1_000_000); // same term, shorter
        Assert.False(r.Responses[^1].Response.Granted);
        voter.OnVoteRequest(N4, new VoteRequest(4, 2, 3, PreVote: false), 1_000_000); // as up to date
        Assert.True(r.Responses[^1].Response.Granted);
    }

    [Fact]
    public void PreVote_changes_nothing_and_is_refused_while_a_coordinator_is_heard()
    {
        var r = new Recorder();
        ElectionState voter = Make(r, N1);
        voter.Start(0);
        Assert.True(voter.OnCoordinatorHeartbeat(N2, 3, [N3, N4], 10_000));
        int saves = r.Events.Count(e => e.StartsWith("save", StringComparison.Ordinal));

        voter.OnVoteRequest(N5, new VoteRequest(4, 0, 0, PreVote: true), 50_000); // coordinator heard 40 ms ago
        Assert.False(r.Responses[^1].Response.Granted);
        voter.OnVoteRequest(N5, new VoteRequest(4, 0, 0, PreVote: false), 50_000); // a real vote too
        Assert.False(r.Responses[^1].Response.Granted);
        Assert.Equal(3ul, voter.CurrentTerm);

        long later = 10_000 + new ElectionOptions().LeaseUs;
        voter.OnVoteRequest(N5, new VoteRequest(4, 0, 0, PreVote: true), later);
        Assert.True(r.Responses[^1].Response.Granted);
        Assert.True(r.Responses[^1].Response.PreVote);
        Assert.Equal((3ul, NodeId.None), (voter.CurrentTerm, voter.VotedFor)); // unchanged by the pre-vote
        Assert.Equal(saves, r.Events.Count(e => e.StartsWith("save", StringComparison.Ordinal)));

        voter.OnVoteRequest(N5, new VoteRequest(3, 0, 0, PreVote: true), later); // not above the voter's term
        Assert.False(r.Responses[^1].Response.Granted);
    }

    [Fact]
    public void Observers_never_vote_or_stand_and_outsiders_get_no_vote()
    {
        var r = new Recorder();
        ElectionState observer = Make(r, Outsider);
        observer.Start(0);
        Assert.Equal(ElectionRole.Observer, observer.Role);
        Assert.Equal(long.MaxValue, observer.NextDeadlineUs);
        observer.Tick(10_000_000);
        observer.OnVoteRequest(N1, new VoteRequest(1, 0, 0, PreVote: false), 10_000_000);
        Assert.Empty(r.Requests);
        Assert.Empty(r.Responses);
        Assert.True(observer.OnCoordinatorHeartbeat(N1, 2, [], 10_000_001)); // but it follows the coordinator
        Assert.Equal(N1, observer.Leader);

        var r2 = new Recorder();
        ElectionState voter = Make(r2, N1);
        voter.Start(0);
        voter.OnVoteRequest(Outsider, new VoteRequest(1, 0, 0, PreVote: true), 10_000_000);
        voter.OnVoteRequest(Outsider, new VoteRequest(1, 0, 0, PreVote: false), 10_000_000);
        Assert.All(r2.Responses, x => Assert.False(x.Response.Granted));
        Assert.False(voter.OnCoordinatorHeartbeat(Outsider, 9, [], 10_000_000)); // an outsider cannot lead
    }

    [Fact]
    public void Single_voter_roster_elects_itself()
    {
        var r = new Recorder();
        ElectionState only = Make(r, N1, roster: [N1]);
        only.Start(0);
        only.Tick(only.NextDeadlineUs);
        Assert.Equal(ElectionRole.Leader, only.Role);
        Assert.Equal(1ul, only.CurrentTerm);
    }

    [Fact]
    public void CheckQuorum_steps_down_a_coordinator_that_hears_no_quorum()
    {
        var r = new Recorder();
        ElectionState c = Make(r, N1, options: new ElectionOptions { UsePreVote = false });
        c.Start(0);
        long t = c.NextDeadlineUs;
        c.Tick(t);
        c.OnVoteResponse(N2, new VoteResponse(1, true, false), t + 1000);
        c.OnVoteResponse(N3, new VoteResponse(1, true, false), t + 1000);
        Assert.Equal(ElectionRole.Leader, c.Role);
        long window = c.CheckQuorumWindowUs;

        // Two others keep heartbeating: with itself that is a quorum of 3 out of 5.
        long now = t + 1000;
        for (int i = 0; i < 20; i++)
        {
            now += window / 4;
            c.OnMemberContact(N2, now);
            c.OnMemberContact(N4, now);
            c.Tick(now);
        }

        Assert.Equal(ElectionRole.Leader, c.Role);

        // Only one other is heard: within one window plus a check step it steps down.
        long lostFrom = now;
        while (c.Role == ElectionRole.Leader)
        {
            now += 10_000;
            c.OnMemberContact(N2, now);
            c.Tick(now);
        }

        Assert.InRange(now - lostFrom, window, window + (window / 4) + 10_000);
        Assert.Equal(1, c.QuorumLossStepDowns);
        Assert.Equal(NodeId.None, c.Leader);
        Assert.Equal("leader n0 1", r.Events[^1]);
    }

    [Fact]
    public void Higher_term_from_a_vote_response_or_heartbeat_deposes_a_stale_coordinator()
    {
        var r = new Recorder();
        ElectionState c = Make(r, N1, options: new ElectionOptions { UsePreVote = false });
        c.Start(0);
        c.Tick(c.NextDeadlineUs);
        c.OnVoteResponse(N2, new VoteResponse(1, true, false), 400_000);
        c.OnVoteResponse(N3, new VoteResponse(1, true, false), 400_000);
        Assert.Equal(ElectionRole.Leader, c.Role);
        Assert.False(c.OnCoordinatorHeartbeat(N2, 1, [], 400_001)); // another leader in my own term: refused
        Assert.Equal(1, c.ConflictingLeaders);
        Assert.True(c.OnCoordinatorHeartbeat(N2, 2, [], 400_002));
        Assert.Equal(ElectionRole.Follower, c.Role);
        Assert.Equal(N2, c.Leader);
        Assert.False(c.OnCoordinatorHeartbeat(N3, 1, [], 400_003)); // stale term
    }

    [Fact]
    public void Alternates_stand_in_order_and_everyone_else_waits_for_their_slots()
    {
        var options = new ElectionOptions();
        long heard = 1_000_000;
        long lost = heard + options.LeaderTimeoutUs;
        long Deadline(NodeId self, int rank)
        {
            var r = new Recorder();
            ElectionState s = Make(r, self);
            s.SuccessionRank = rank;
            s.Start(0);
            s.OnCoordinatorHeartbeat(N1, 1, [N3, N2], heard);
            s.Tick(lost);
            return s.Role == ElectionRole.PreCandidate ? lost : s.ElectionDeadlineUs;
        }

        Assert.Equal(lost, Deadline(N3, 5)); // alternate 1: at once, whatever its rank
        Assert.Equal(lost + options.AlternateDelayUs, Deadline(N2, 0)); // alternate 2: one delay later
        long full = Deadline(N4, 2) - lost;
        long expected = (2 * options.AlternateDelayUs) + options.ElectionBaseUs + (2 * options.RankStaggerUs);
        Assert.InRange(full, expected, expected + (options.RankStaggerUs / 4));
    }

    [Fact]
    public void With_a_slow_group_beat_only_alternates_keep_the_fast_timeout_and_voters_grant_them_after_the_fast_lease()
    {
        var options = new ElectionOptions();
        long group = 2_000_000; // the coordinator multicasts every 2 s (large cluster); its alternates get the fast beat
        long heard = 1_000_000;
        ElectionState Follower(NodeId self, Recorder r)
        {
            ElectionState s = Make(r, self);
            s.Start(0);
            s.OnCoordinatorHeartbeat(N1, 1, [N3, N2], heard);
            s.CoordinatorGroupPeriodUs = group;
            return s;
        }

        var ra = new Recorder();
        ElectionState alternate = Follower(N3, ra);
        Assert.True(alternate.IsNamedAlternate);
        Assert.Equal(options.LeaderTimeoutUs, alternate.FollowerTimeoutUs);

        var rv = new Recorder();
        ElectionState voter = Follower(N4, rv);
        Assert.False(voter.IsNamedAlternate);
        Assert.Equal(options.LeaderTimeoutUs * group / options.CoordinatorHeartbeatPeriodUs, voter.FollowerTimeoutUs); // 3 group periods
        voter.Tick(heard + options.LeaderTimeoutUs);
        Assert.Equal(N1, voter.Leader); // still following: it only hears the coordinator every 2 s

        // 300 ms after the last beat the alternate stands; the voter grants it (fast lease over) ...
        long at = heard + options.LeaderTimeoutUs;
        voter.OnVoteRequest(N3, new VoteRequest(2, 0, 0, PreVote: true), at);
        Assert.True(rv.Responses[^1].Response.Granted);

        // ... but refuses an ordinary node (say one that just rejoined) for as many group periods.
        voter.OnVoteRequest(N5, new VoteRequest(2, 0, 0, PreVote: true), at);
        Assert.False(rv.Responses[^1].Response.Granted);
        voter.OnVoteRequest(N5, new VoteRequest(2, 0, 0, PreVote: true), heard + (options.LeaseUs * group / options.CoordinatorHeartbeatPeriodUs));
        Assert.True(rv.Responses[^1].Response.Granted);

        // A fast group beat (small cluster) keeps the old rules for everyone.
        voter.CoordinatorGroupPeriodUs = options.CoordinatorHeartbeatPeriodUs;
        Assert.Equal(options.LeaderTimeoutUs, voter.FollowerTimeoutUs);
    }

    [Fact]
    public void Coordinator_group_period_grows_with_size_within_its_delivery_budget()
    {
        var o = new ElectionOptions();
        Assert.Equal(o.CoordinatorHeartbeatPeriodUs, o.CoordinatorGroupPeriodUs(1));
        Assert.Equal(o.CoordinatorHeartbeatPeriodUs, o.CoordinatorGroupPeriodUs(51));   // 50 receivers x 10/s = 500/s
        Assert.Equal(1_998_000, o.CoordinatorGroupPeriodUs(1000));
        foreach (int n in new[] { 2, 52, 100, 1000, 9383 })
        {
            double deliveries = (n - 1) / (o.CoordinatorGroupPeriodUs(n) / 1e6);
            Assert.True(deliveries <= Math.Max(o.CoordinatorGroupDeliveriesPerSecond, (n - 1) * 10.0) + 1e-3);
            Assert.True(n <= 51 || deliveries <= o.CoordinatorGroupDeliveriesPerSecond + 1e-3);
        }

        Assert.Throws<ArgumentException>(() => new ElectionOptions { CoordinatorGroupDeliveriesPerSecond = 0 }.Validate());
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new ElectionOptions { LeaderTimeoutUs = 50_000 }.Validate());
        Assert.Throws<ArgumentException>(() => new ElectionOptions { LeaseUs = 400_000 }.Validate());
        Assert.Throws<ArgumentException>(() => new ElectionOptions { Alternates = 9 }.Validate());
        Assert.Throws<ArgumentException>(() => new ElectionOptions { RankStaggerUs = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => Make(new Recorder(), N1, roster: [N1, N1]));
        Assert.Throws<ArgumentException>(() => Make(new Recorder(), N1, roster: []));
    }

    [Fact]
    public void Vote_messages_round_trip_and_reject_bad_input()
    {
        Span<byte> b = stackalloc byte[VoteRequest.Size];
        var q = new VoteRequest(7, 3, 6, PreVote: true);
        Assert.True(q.TryWrite(b));
        Assert.True(VoteRequest.TryRead(b, out VoteRequest q2));
        Assert.Equal(q, q2);
        Assert.False(VoteRequest.TryRead(b[..^1], out _));
        b[24] = 4;
        Assert.False(VoteRequest.TryRead(b, out _));
        new VoteRequest(2, 3, 6, false).TryWrite(b); // log term above the term
        Assert.False(VoteRequest.TryRead(b, out _));

        Span<byte> a = stackalloc byte[VoteResponse.Size];
        var p = new VoteResponse(9, true, false);
        Assert.True(p.TryWrite(a));
        Assert.True(VoteResponse.TryRead(a, out VoteResponse p2));
        Assert.Equal(p, p2);
        a[8] = 7;
        Assert.False(VoteResponse.TryRead(a, out _));
        new VoteResponse(0, true, false).TryWrite(a);
        Assert.False(VoteResponse.TryRead(a, out _));
    }
}
