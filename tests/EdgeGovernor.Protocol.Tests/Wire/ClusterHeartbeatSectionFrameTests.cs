using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Wire;

public sealed class ClusterHeartbeatSectionFrameTests
{
    private static readonly ClusterHeartbeatSectionFrame Sample =
        new(IsCoordinator: true, UtilizationBp: 4200, Capacity: 800, Health: 0, PeriodMs: 100, CoordinatorSeen: new NodeId(7),
            LastLogIndex: 12, LastLogTerm: 3, CommitIndex: 11, Beat: 5);

    [Fact]
    public void Round_trip_with_alternates()
    {
        Span<byte> b = stackalloc byte[160];
        Assert.True(Sample.TryWrite(b, [new NodeId(2), new NodeId(5)], out int written));
        Assert.Equal(ClusterHeartbeatSectionFrame.CoordinatorSizeOf(2), written);
        Assert.Equal(49 + 8 + 64, written);
        Assert.Equal(5ul, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(b[49..])); // the beat number after the alternates
        Assert.Equal(57, ClusterHeartbeatSectionFrame.SignedPart(b[..written]).Length);
        Assert.True(ClusterHeartbeatSectionFrame.TryRead(b[..written], out ClusterHeartbeatSectionFrame back));
        Assert.Equal(Sample with { AlternateCount = 2 }, back);
        Span<NodeId> alternates = stackalloc NodeId[8];
        Assert.Equal(2, ClusterHeartbeatSectionFrame.ReadAlternates(b[..written], alternates));
        Assert.Equal([new NodeId(2), new NodeId(5)], alternates[..2].ToArray());
        Assert.Equal(1, ClusterHeartbeatSectionFrame.ReadAlternates(b[..written], alternates[..1])); // capped by the caller
    }

    [Fact]
    public void Alternates_that_do_not_fit_are_left_out_and_a_destination_below_the_fixed_part_writes_nothing()
    {
        Span<byte> b = stackalloc byte[ClusterHeartbeatSectionFrame.CoordinatorSizeOf(0) + 5];
        Assert.True(Sample.TryWrite(b, [new NodeId(2), new NodeId(5)], out int written));
        Assert.Equal(ClusterHeartbeatSectionFrame.CoordinatorSizeOf(1), written);
        Assert.Equal(1, b[40]);
        Assert.False(Sample.TryWrite(b[..(ClusterHeartbeatSectionFrame.CoordinatorSizeOf(0) - 1)], [], out written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Short_sections_and_unknown_flags_are_rejected()
    {
        Span<byte> b = stackalloc byte[160];
        Assert.True(Sample.TryWrite(b, [new NodeId(2)], out int written));
        Assert.False(ClusterHeartbeatSectionFrame.TryRead(b[..(written - 1)], out _)); // K says one alternate, not all there
        Assert.False(ClusterHeartbeatSectionFrame.TryRead(b[..40], out _));
        Assert.True(ClusterHeartbeatSectionFrame.TryRead(b[..(written + 3)], out _)); // trailing bytes are ignored
        b[0] = 2;
        Assert.False(ClusterHeartbeatSectionFrame.TryRead(b[..written], out _));
        Assert.True((Sample with { Beat = 0 }).TryWrite(b, [], out written)); // a coordinator's beat number starts at 1
        Assert.False(ClusterHeartbeatSectionFrame.TryRead(b[..written], out _));
    }

    [Fact]
    public void Out_of_range_indexes_terms_and_alternates_are_rejected()
    {
        var coordinator = new ClusterHeartbeatSectionFrame(true, 1, 2, 0, 100, new NodeId(1), 5, 4, 3, Beat: 1);
        Span<byte> b = stackalloc byte[ClusterHeartbeatSectionFrame.CoordinatorSizeOf(9)];
        foreach (ClusterHeartbeatSectionFrame bad in (ClusterHeartbeatSectionFrame[])[
            coordinator with { LastLogIndex = WireLimits.MaxLogIndex + 1 }, coordinator with { LastLogTerm = ulong.MaxValue },
            coordinator with { CommitIndex = ulong.MaxValue }])
        {
            Assert.True(bad.TryWrite(b, [], out int n));
            Assert.False(ClusterHeartbeatSectionFrame.TryRead(b[..n], out _));
        }

        NodeId[] nine = [.. Enumerable.Range(1, 9).Select(i => new NodeId((uint)i))];
        Assert.True(coordinator.TryWrite(b, nine, out int written)); // more than 8 alternates
        Assert.False(ClusterHeartbeatSectionFrame.TryRead(b[..written], out _));
        Assert.True(coordinator.TryWrite(b, [new NodeId(2), NodeId.None], out written)); // alternate 0
        Assert.False(ClusterHeartbeatSectionFrame.TryRead(b[..written], out _));
        Assert.True(coordinator.TryWrite(b, [new NodeId(2)], out written));
        b[0] = 0; // a member names alternates
        Assert.False(ClusterHeartbeatSectionFrame.TryRead(b[..written], out _));
        Assert.True((coordinator with { PeriodMs = uint.MaxValue }).TryWrite(b, nine[..8], out written)); // the receiver clamps the period
        Assert.True(ClusterHeartbeatSectionFrame.TryRead(b[..written], out ClusterHeartbeatSectionFrame read));
        Assert.Equal(uint.MaxValue, read.PeriodMs);
    }
}
