using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class ElectionStateTests
{
    private static readonly NodeId N1 = new(1), N2 = new(2), N3 = new(3), N4 = new(4), N5 = new(5), Outsider = new(99);
    private static readonly NodeId[] Five = [N1, N2, N3, N4, N5];

    /// <summary>Records effects and store writes in one sequence, to check what happened before what.</summary>
    private sealed class Recorder : IVoteStore
    {
        private PersistentVote _saved;

        public List<string> Events { get; } = [];

        public List<(NodeId To, VoteResponseFrame Response)> Responses { get; } = [];

        public List<VoteRequestFrame> Requests { get; } = [];

        public PersistentVote Load() => _saved;

        public void Save(PersistentVote vote)
        {
            _saved = vote;
            Events.Add($"save {vote.Term} {vote.VotedFor}");
        }

        /// <summary>Takes what one call asked for, in order.</summary>
        public void Take(in ElectionEffects effects)
        {
            for (int i = 0; i < effects.Count; i++)
            {
                ElectionEffect e = effects[i];
                switch (e.Kind)
                {
                    case ElectionEffectKind.BroadcastVoteRequest:
                        Requests.Add(e.Request);
                        Events.Add($"request {e.Request.Term} pre={e.Request.PreVote}");
                        break;
                    case ElectionEffectKind.SendVoteResponse:
                        Responses.Add((e.Node, e.Response));
                        Events.Add($"response {e.Node} {e.Response.Term} {e.Response.Granted} pre={e.Response.PreVote}");
                        break;
                    case ElectionEffectKind.LeaderChanged:
                        Events.Add($"leader {e.Node} {e.Term}");
                        break;
                }
            }
        }

        /// <summary>A coordinator heartbeat into <paramref name="state"/>, its effects taken.</summary>
        public bool Heartbeat(ElectionState state, NodeId leader, ulong term, ReadOnlySpan<NodeId> alternates, long nowUs)
        {
            bool accepted = state.OnCoordinatorHeartbeat(leader, term, alternates, nowUs, out ElectionEffects effects);
            Take(effects);
            return accepted;
        }
    }

    private static ElectionState Make(Recorder r, NodeId self, PriceLog? log = null, ElectionOptions? options = null, NodeId[]? roster = null) =>
        new(self, roster ?? Five, options ?? new ElectionOptions(), r, new SplitMix64Random(3), log ?? new PriceLog());

    [Fact]
    public void Vote_is_persisted_before_it_is_sent_and_only_one_per_term_survives_a_restart()
    {
        var r = new Recorder();
        ElectionState voter = Make(r, N1);
        voter.Start(0);
        r.Take(voter.OnVoteRequest(N2, new VoteRequestFrame(5, 0, 0, PreVote: false), 1_000_000));
        Assert.Equal(["save 5 n0", "save 5 n2", "response n2 5 True pre=False"], r.Events);
        Assert.Equal((5ul, N2), (voter.CurrentTerm, voter.VotedFor));

        r.Take(voter.OnVoteRequest(N3, new VoteRequestFrame(5, 0, 0, PreVote: false), 1_000_100));
        Assert.False(r.Responses[^1].Response.Granted);

        // Crash and restart from the same store: the vote of term 5 is remembered.
        var restarted = Make(r, N1);
        restarted.Start(2_000_000);
        Assert.Equal((5ul, N2), (restarted.CurrentTerm, restarted.VotedFor));
        r.Take(restarted.OnVoteRequest(N3, new VoteRequestFrame(5, 0, 0, PreVote: false), 2_000_100));
        Assert.False(r.Responses[^1].Response.Granted);
        int saves = r.Events.Count(e => e.StartsWith("save", StringComparison.Ordinal));
        r.Take(restarted.OnVoteRequest(N2, new VoteRequestFrame(5, 0, 0, PreVote: false), 2_000_200));
        Assert.True(r.Responses[^1].Response.Granted); // the same candidate again: granted, no new save needed
        Assert.Equal(saves, r.Events.Count(e => e.StartsWith("save", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_term_may_rise_by_at_most_MaxTermStep_per_message_except_from_term_0()
    {
        var r = new Recorder();
        ElectionState voter = Make(r, N1);
        voter.Start(0);
        Assert.True(r.Heartbeat(voter, N2, 10, [], 1_000)); // term 0 takes any valid term (a new board joins)
        Assert.Equal(10ul, voter.CurrentTerm);

        Assert.False(r.Heartbeat(voter, N3, 10 + TermGuard.MaxTermStep + 1, [], 2_000));
        Assert.False(r.Heartbeat(voter, N3, ulong.MaxValue, [], 2_000));
        r.Take(voter.OnVoteResponse(N3, new VoteResponseFrame(ulong.MaxValue, false, PreVote: false), 2_000));
        long later = 2_000 + new ElectionOptions().LeaseUs + new ElectionOptions().LeaderTimeoutUs;
        r.Take(voter.Tick(later));
        r.Take(voter.OnVoteRequest(N4, new VoteRequestFrame((ulong)long.MaxValue, 0, 0, PreVote: true), later));
        Assert.False(r.Responses[^1].Response.Granted);
        r.Take(voter.OnVoteRequest(N4, new VoteRequestFrame((ulong)long.MaxValue, 0, 0, PreVote: false), later));
        Assert.False(r.Responses[^1].Response.Granted);
        Assert.Equal(10ul, voter.CurrentTerm);
        Assert.Equal(5, voter.Terms.TermJumpsRefused);

        Assert.True(r.Heartbeat(voter, N3, 10 + TermGuard.MaxTermStep, [], later + 1)); // the largest step is taken
        Assert.Equal(10 + TermGuard.MaxTermStep, voter.CurrentTerm);
    }

    [Fact]
    public void A_node_at_the_highest_term_refuses_to_stand_and_says_so()
    {
        var r = new Recorder();
        r.Save(new PersistentVote((ulong)long.MaxValue, NodeId.None));
        ElectionState c = Make(r, N1);
        c.Start(0);
        Assert.True(c.Terms.TermExhausted);
        for (int i = 0; i < 5; i++)
        {
            r.Take(c.Tick(c.NextDeadlineUs));
        }

        Assert.Empty(r.Requests);
        Assert.Equal((ulong)long.MaxValue, c.CurrentTerm);
        Assert.Equal(ElectionRole.Follower, c.Role);
        Assert.True(c.Terms.StandsRefusedAtTermCeiling >= 5);
        r.Save(new PersistentVote(ulong.MaxValue, NodeId.None));
        Assert.Throws<ArgumentException>(() => Make(r, N1)); // a store above the ceiling is refused at start
    }

    [Fact]
    public void Candidate_persists_its_own_vote_before_requesting()
    {
        var r = new Recorder();
        ElectionState c = Make(r, N1, options: new ElectionOptions { UsePreVote = false });
        c.Start(0);
        r.Take(c.Tick(c.NextDeadlineUs));
        Assert.Equal(ElectionRole.Candidate, c.Role);
        Assert.Equal(["save 1 n1", "request 1 pre=False"], r.Events);
    }

    [Fact]
    public void Voter_refuses_a_candidate_whose_log_is_behind()
    {
        var log = new PriceLog();
        log.Accept(new PriceRecord(TestTimes.T0, TestTimes.T0 + 10, 1, 1, 3, 1), 0);
        log.Accept(new PriceRecord(TestTimes.T0 + 10, TestTimes.T0 + 20, 1, 1, 3, 2), 3);
        var r = new Recorder();
        ElectionState voter = Make(r, N1, log);
        voter.Start(0);

        r.Take(voter.OnVoteRequest(N2, new VoteRequestFrame(4, 5, 2, PreVote: false), 1_000_000)); // older last term
        Assert.False(r.Responses[^1].Response.Granted);
        Assert.Equal(4ul, voter.CurrentTerm); // the term is adopted all the same
        r.Take(voter.OnVoteRequest(N3, new VoteRequestFrame(4, 1, 3, PreVote: false), 1_000_000)); // same term, shorter
        Assert.False(r.Responses[^1].Response.Granted);
        r.Take(voter.OnVoteRequest(N4, new VoteRequestFrame(4, 2, 3, PreVote: false), 1_000_000)); // as up to date
        Assert.True(r.Responses[^1].Response.Granted);
    }

    [Fact]
    public void PreVote_changes_nothing_and_is_refused_while_a_coordinator_is_heard()
    {
        var r = new Recorder();
        ElectionState voter = Make(r, N1);
        voter.Start(0);
        Assert.True(r.Heartbeat(voter, N2, 3, [N3, N4], 10_000));
        int saves = r.Events.Count(e => e.StartsWith("save", StringComparison.Ordinal));

        r.Take(voter.OnVoteRequest(N5, new VoteRequestFrame(4, 0, 0, PreVote: true), 50_000)); // coordinator heard 40 ms ago
        Assert.False(r.Responses[^1].Response.Granted);
        r.Take(voter.OnVoteRequest(N5, new VoteRequestFrame(4, 0, 0, PreVote: false), 50_000)); // a real vote too
        Assert.False(r.Responses[^1].Response.Granted);
        Assert.Equal(3ul, voter.CurrentTerm);

        long later = 10_000 + new ElectionOptions().LeaseUs;
        r.Take(voter.OnVoteRequest(N5, new VoteRequestFrame(4, 0, 0, PreVote: true), later));
        Assert.True(r.Responses[^1].Response.Granted);
        Assert.True(r.Responses[^1].Response.PreVote);
        Assert.Equal((3ul, NodeId.None), (voter.CurrentTerm, voter.VotedFor)); // unchanged by the pre-vote
        Assert.Equal(saves, r.Events.Count(e => e.StartsWith("save", StringComparison.Ordinal)));

        r.Take(voter.OnVoteRequest(N5, new VoteRequestFrame(3, 0, 0, PreVote: true), later)); // not above the voter's term
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
        r.Take(observer.Tick(10_000_000));
        r.Take(observer.OnVoteRequest(N1, new VoteRequestFrame(1, 0, 0, PreVote: false), 10_000_000));
        Assert.Empty(r.Requests);
        Assert.Empty(r.Responses);
        Assert.True(r.Heartbeat(observer, N1, 2, [], 10_000_001)); // but it follows the coordinator
        Assert.Equal(N1, observer.Leader);

        var r2 = new Recorder();
        ElectionState voter = Make(r2, N1);
        voter.Start(0);
        r2.Take(voter.OnVoteRequest(Outsider, new VoteRequestFrame(1, 0, 0, PreVote: true), 10_000_000));
        r2.Take(voter.OnVoteRequest(Outsider, new VoteRequestFrame(1, 0, 0, PreVote: false), 10_000_000));
        Assert.All(r2.Responses, x => Assert.False(x.Response.Granted));
        Assert.False(r2.Heartbeat(voter, Outsider, 9, [], 10_000_000)); // an outsider cannot lead
    }

    [Fact]
    public void Single_voter_roster_elects_itself()
    {
        var r = new Recorder();
        ElectionState only = Make(r, N1, roster: [N1]);
        only.Start(0);
        r.Take(only.Tick(only.NextDeadlineUs));
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
        r.Take(c.Tick(t));
        r.Take(c.OnVoteResponse(N2, new VoteResponseFrame(1, true, false), t + 1000));
        r.Take(c.OnVoteResponse(N3, new VoteResponseFrame(1, true, false), t + 1000));
        Assert.Equal(ElectionRole.Leader, c.Role);
        long window = c.CheckQuorumWindowUs;

        // Two others keep heartbeating: with itself that is a quorum of 3 out of 5.
        long now = t + 1000;
        for (int i = 0; i < 20; i++)
        {
            now += window / 4;
            c.OnMemberContact(N2, now);
            c.OnMemberContact(N4, now);
            r.Take(c.Tick(now));
        }

        Assert.Equal(ElectionRole.Leader, c.Role);

        // Only one other is heard: within one window plus a check step it steps down.
        long lostFrom = now;
        while (c.Role == ElectionRole.Leader)
        {
            now += 10_000;
            c.OnMemberContact(N2, now);
            r.Take(c.Tick(now));
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
        r.Take(c.Tick(c.NextDeadlineUs));
        r.Take(c.OnVoteResponse(N2, new VoteResponseFrame(1, true, false), 400_000));
        r.Take(c.OnVoteResponse(N3, new VoteResponseFrame(1, true, false), 400_000));
        Assert.Equal(ElectionRole.Leader, c.Role);
        Assert.False(r.Heartbeat(c, N2, 1, [], 400_001)); // another leader in my own term: refused
        Assert.Equal(1, c.ConflictingLeaders);
        Assert.True(r.Heartbeat(c, N2, 2, [], 400_002));
        Assert.Equal(ElectionRole.Follower, c.Role);
        Assert.Equal(N2, c.Leader);
        Assert.False(r.Heartbeat(c, N3, 1, [], 400_003)); // stale term
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
            r.Heartbeat(s, N1, 1, [N3, N2], heard);
            r.Take(s.Tick(lost));
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
            r.Heartbeat(s, N1, 1, [N3, N2], heard);
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
        rv.Take(voter.Tick(heard + options.LeaderTimeoutUs));
        Assert.Equal(N1, voter.Leader); // still following: it only hears the coordinator every 2 s

        // 300 ms after the last beat the alternate stands; the voter grants it (fast lease over) ...
        long at = heard + options.LeaderTimeoutUs;
        rv.Take(voter.OnVoteRequest(N3, new VoteRequestFrame(2, 0, 0, PreVote: true), at));
        Assert.True(rv.Responses[^1].Response.Granted);

        // ... but refuses an ordinary node (say one that just rejoined) for as many group periods.
        rv.Take(voter.OnVoteRequest(N5, new VoteRequestFrame(2, 0, 0, PreVote: true), at));
        Assert.False(rv.Responses[^1].Response.Granted);
        rv.Take(voter.OnVoteRequest(N5, new VoteRequestFrame(2, 0, 0, PreVote: true), heard + (options.LeaseUs * group / options.CoordinatorHeartbeatPeriodUs)));
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
    public void A_follower_ahead_of_the_coordinators_term_tells_it_once_a_round_and_the_coordinator_steps_down()
    {
        var r = new Recorder();
        ElectionState ahead = Make(r, N1);
        ahead.Start(0);
        r.Take(ahead.OnVoteRequest(N3, new VoteRequestFrame(3, 0, 0, PreVote: false), 1_000)); // now at term 3
        r.Events.Clear();

        Assert.False(r.Heartbeat(ahead, N2, 2, [], 2_000));
        Assert.Equal(["response n2 3 False pre=False"], r.Events);
        Assert.Equal(N2, r.Responses[^1].Response.Candidate); // addressed to the coordinator, which checks it is its own
        Assert.False(r.Heartbeat(ahead, N2, 2, [], 3_000));
        Assert.Single(r.Events); // not again within the round
        Assert.False(r.Heartbeat(ahead, N2, 2, [], 2_000 + new ElectionOptions().RoundTimeoutUs));
        Assert.Equal(2, r.Events.Count);
        Assert.Equal(2, ahead.StaleCoordinatorNotices);
        Assert.False(r.Heartbeat(ahead, Outsider, 1, [], 10_000_000)); // not a voter: not answered
        Assert.Equal(2, r.Events.Count);

        // The coordinator of term 2 takes the answer: it adopts term 3 and stops leading.
        var c = new Recorder();
        ElectionState leader = Make(c, N2, roster: [N1, N2, N3]);
        leader.Start(0);
        c.Take(leader.Tick(10_000_000));
        long t = 10_000_000;
        while (leader.Role != ElectionRole.PreCandidate)
        {
            c.Take(leader.Tick(t += 100_000));
        }
        c.Take(leader.OnVoteResponse(N3, new VoteResponseFrame(1, true, PreVote: true, N2), t));
        c.Take(leader.OnVoteResponse(N3, new VoteResponseFrame(1, true, PreVote: false, N2), t));
        Assert.Equal((ElectionRole.Leader, 1ul), (leader.Role, leader.CurrentTerm));
        c.Take(leader.OnVoteResponse(N1, r.Responses[^1].Response, t + 1_000));
        Assert.Equal((ElectionRole.Follower, 3ul), (leader.Role, leader.CurrentTerm));
        Assert.Equal(NodeId.None, leader.Leader);
    }

    [Fact]
    public void A_pre_candidate_adopts_the_higher_term_of_a_refused_pre_vote_and_then_asks_past_it()
    {
        var r = new Recorder();
        ElectionState node = Make(r, N2);
        node.Start(0);
        long t = 0;
        while (node.Role != ElectionRole.PreCandidate)
        {
            r.Take(node.Tick(t += 100_000));
        }
        Assert.Equal(1ul, r.Requests[^1].Term);

        // A granted pre-vote carries the term asked for and moves nothing (two of five are no quorum yet).
        r.Take(node.OnVoteResponse(N3, new VoteResponseFrame(1, true, PreVote: true, N2), t));
        Assert.Equal((ElectionRole.PreCandidate, 0ul), (node.Role, node.CurrentTerm));
        // A refusal at the very term asked: the voter already holds it (the deadlock this rule ends), so it is adopted.
        r.Take(node.OnVoteResponse(N4, new VoteResponseFrame(1, false, PreVote: true, N2), t));
        Assert.Equal((ElectionRole.Follower, 1ul), (node.Role, node.CurrentTerm));

        var r2 = new Recorder();
        ElectionState behind = Make(r2, N3, roster: [N1, N2, N3]);
        behind.Start(0);
        t = 0;
        while (behind.Role != ElectionRole.PreCandidate)
        {
            r2.Take(behind.Tick(t += 100_000));
        }
        r2.Take(behind.OnVoteResponse(N1, new VoteResponseFrame(5, false, PreVote: true, N3), t));
        Assert.Equal((ElectionRole.Follower, 5ul), (behind.Role, behind.CurrentTerm));
        while (behind.Role != ElectionRole.PreCandidate)
        {
            r2.Take(behind.Tick(t += 100_000));
        }
        Assert.Equal(6ul, r2.Requests[^1].Term);
    }
}
