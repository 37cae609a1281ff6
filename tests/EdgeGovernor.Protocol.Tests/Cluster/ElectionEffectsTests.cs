using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class ElectionEffectsTests
{
    private static readonly NodeId N1 = new(1), N2 = new(2), N3 = new(3);

    private static ElectionState Make(InMemoryVoteStore store, NodeId self, ElectionOptions? options = null, NodeId[]? roster = null) =>
        new(self, roster ?? [N1, N2, N3], options ?? new ElectionOptions(), store, new SplitMix64Random(7), new PriceLog());

    private static ElectionEffect[] All(in ElectionEffects effects)
    {
        var all = new ElectionEffect[effects.Count];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = effects[i];
        }

        return all;
    }

    [Fact]
    public void A_call_that_asks_for_nothing_returns_no_effects()
    {
        ElectionState s = Make(new InMemoryVoteStore(), N1);
        s.Start(0);
        ElectionEffects effects = s.Tick(1);
        Assert.True(effects.IsEmpty);
        Assert.Throws<ArgumentOutOfRangeException>(() => effects[0]);
    }

    [Fact]
    public void A_higher_term_from_a_candidate_deposes_the_leader_first_and_the_change_carries_the_call_time()
    {
        ElectionState s = Make(new InMemoryVoteStore(), N1);
        s.Start(0);
        Assert.True(s.OnCoordinatorHeartbeat(N2, 1, [], 1_000, out ElectionEffects first));
        Assert.Equal(ElectionEffect.LeaderChange(N2, 1, 1_000), Assert.Single(All(first)));

        long later = 10_000_000; // lease over
        ElectionEffects effects = s.OnVoteRequest(N3, new VoteRequestFrame(2, 0, 0, PreVote: false), later);
        Assert.Equal(2, effects.Count);
        Assert.Equal(ElectionEffect.LeaderChange(NodeId.None, 2, later), effects[0]);
        Assert.Equal(ElectionEffect.Respond(N3, new VoteResponseFrame(2, true, PreVote: false, N3)), effects[1]);
    }

    [Fact]
    public void A_single_voter_loses_nothing_and_leads_at_once_in_one_tick()
    {
        ElectionState s = Make(new InMemoryVoteStore(), N1, new ElectionOptions { UsePreVote = false }, roster: [N1]);
        s.Start(0);
        long at = s.NextDeadlineUs;
        ElectionEffects effects = s.Tick(at);
        Assert.Equal(ElectionEffect.LeaderChange(N1, 1, at), Assert.Single(All(effects)));
        Assert.Equal(1ul, s.CurrentTerm);
    }

    [Fact]
    public void Standing_broadcasts_the_request_of_the_new_term()
    {
        ElectionState s = Make(new InMemoryVoteStore(), N1, new ElectionOptions { UsePreVote = false });
        s.Start(0);
        ElectionEffects effects = s.Tick(s.NextDeadlineUs);
        Assert.Equal(ElectionEffect.Broadcast(new VoteRequestFrame(1, 0, 0, PreVote: false)), Assert.Single(All(effects)));
    }
}
