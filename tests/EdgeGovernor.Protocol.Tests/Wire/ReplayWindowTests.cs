using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Wire;

public sealed class ReplayWindowTests
{
    [Fact]
    public void Accepts_each_sequence_once_within_the_window()
    {
        var w = new ReplayWindow(128);
        Assert.True(w.TryAccept(1, 200));
        Assert.True(w.TryAccept(1, 73));
        Assert.False(w.TryAccept(1, 73));
        Assert.False(w.TryAccept(1, 72)); // 200 - 72 = 128: outside
        Assert.True(w.TryAccept(1, 199));
        Assert.False(w.TryAccept(1, 200));
        Assert.True(w.TryAccept(1, 500)); // jump: window cleared
        Assert.False(w.TryAccept(1, 199));
        Assert.True(w.TryAccept(1, 400));
        Assert.False(w.TryAccept(1, 0));
    }

    [Fact]
    public void Incarnations_only_move_forward()
    {
        var w = new ReplayWindow(64);
        Assert.True(w.TryAccept(3, 10));
        Assert.False(w.TryAccept(2, 11));
        Assert.True(w.TryAccept(4, 1));
        Assert.Equal(4UL, w.Incarnation);
        Assert.False(w.TryAccept(4, 1));
    }

    [Fact]
    public void Window_size_is_validated() =>
        Assert.Throws<ArgumentException>(() => new ReplayWindow(100));
}
