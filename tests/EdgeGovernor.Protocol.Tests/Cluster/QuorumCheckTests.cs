using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class QuorumCheckTests
{
    private const long Window = 1_000_000;

    [Fact]
    public void Leadership_starts_a_fresh_window_and_the_check_is_due_one_window_later()
    {
        var check = new QuorumCheck(5, Window);
        Assert.Equal(long.MaxValue, check.NextCheckUs);
        check.Start(10_000_000);
        Assert.Equal(10_000_000 + Window, check.NextCheckUs);
        // Everyone counts as heard at the start: the first check passes and the next one is a quarter window later.
        Assert.True(check.Passes(10_000_000 + Window, selfPosition: 0, quorum: 3));
        Assert.Equal(10_000_000 + Window + (Window / 4), check.NextCheckUs);
        check.Stop();
        Assert.Equal(long.MaxValue, check.NextCheckUs);
    }

    [Fact]
    public void Fails_when_fewer_than_a_quorum_were_heard_within_the_window()
    {
        var check = new QuorumCheck(5, Window);
        check.Start(0);
        long now = 5 * Window;
        check.NoteContact(1, now - 10);
        Assert.False(check.Passes(now, selfPosition: 0, quorum: 3)); // itself and one other
        check.NoteContact(3, now - Window); // exactly at the window's edge counts
        Assert.True(check.Passes(now, selfPosition: 0, quorum: 3));
        check.NoteContact(-1, now); // not a voter: ignored
        check.NoteContact(1, now - 500); // older than what is known: ignored
        Assert.False(check.Passes(now + 20, selfPosition: 0, quorum: 3));
    }

    [Fact]
    public void Contacts_before_the_first_leadership_are_not_kept()
    {
        var check = new QuorumCheck(3, Window);
        check.NoteContact(1, 5);
        Assert.False(check.Passes(Window * 10, selfPosition: 0, quorum: 2));
        Assert.True(new QuorumCheck(1, Window).Passes(0, selfPosition: 0, quorum: 1)); // a single voter hears itself
    }
}
