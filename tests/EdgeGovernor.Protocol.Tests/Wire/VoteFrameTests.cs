using System.Buffers.Binary;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Wire;

public sealed class VoteFrameTests
{
    [Fact]
    public void Vote_messages_round_trip_and_reject_bad_input()
    {
        Span<byte> b = stackalloc byte[VoteRequestFrame.Size];
        var q = new VoteRequestFrame(7, 3, 6, PreVote: true);
        Assert.True(q.TryWrite(b));
        Assert.True(VoteRequestFrame.TryRead(b, out VoteRequestFrame q2));
        Assert.Equal(q, q2);
        Assert.False(VoteRequestFrame.TryRead(b[..^1], out _));
        b[24] = 4;
        Assert.False(VoteRequestFrame.TryRead(b, out _));
        new VoteRequestFrame(2, 3, 6, false).TryWrite(b); // log term above the term
        Assert.False(VoteRequestFrame.TryRead(b, out _));

        Span<byte> a = stackalloc byte[VoteResponseFrame.Size];
        var p = new VoteResponseFrame(9, true, false, new NodeId(4));
        Assert.True(p.TryWrite(a));
        Assert.True(VoteResponseFrame.TryRead(a, out VoteResponseFrame p2));
        Assert.Equal(p, p2);
        a[8] = 7;
        Assert.False(VoteResponseFrame.TryRead(a, out _));
        new VoteResponseFrame(0, true, false, new NodeId(4)).TryWrite(a);
        Assert.False(VoteResponseFrame.TryRead(a, out _));
        new VoteResponseFrame(9, true, false, NodeId.None).TryWrite(a); // no candidate
        Assert.False(VoteResponseFrame.TryRead(a, out _));
    }

    [Fact]
    public void Layout_matches_the_byte_diagram_and_the_type_follows_the_pre_vote_flag()
    {
        Span<byte> b = stackalloc byte[VoteRequestFrame.Size];
        Assert.True(new VoteRequestFrame(7, 3, 6, PreVote: false).TryWrite(b));
        Assert.Equal(7ul, BinaryPrimitives.ReadUInt64BigEndian(b));
        Assert.Equal(3ul, BinaryPrimitives.ReadUInt64BigEndian(b[8..]));
        Assert.Equal(6ul, BinaryPrimitives.ReadUInt64BigEndian(b[16..]));
        Assert.Equal(0, b[24]);
        Assert.Equal(MessageType.VoteRequest, new VoteRequestFrame(7, 3, 6, PreVote: false).Type);
        Assert.Equal(MessageType.PreVoteRequest, new VoteRequestFrame(7, 3, 6, PreVote: true).Type);
        Assert.False(new VoteRequestFrame(7, 3, 6, false).TryWrite(b[..^1]));
        Assert.False(VoteRequestFrame.TryRead([], out _));

        Span<byte> a = stackalloc byte[VoteResponseFrame.Size];
        Assert.True(new VoteResponseFrame(9, Granted: true, PreVote: true, new NodeId(4)).TryWrite(a));
        Assert.Equal(9ul, BinaryPrimitives.ReadUInt64BigEndian(a));
        Assert.Equal(3, a[8]);
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32BigEndian(a[9..]));
        Assert.Equal(25 + 64, VoteRequestFrame.Size);
        Assert.Equal(13 + 64, VoteResponseFrame.Size);
        Assert.Equal(MessageType.PreVoteResponse, new VoteResponseFrame(9, true, true).Type);
        Assert.Equal(MessageType.VoteResponse, new VoteResponseFrame(9, true, false).Type);
        Assert.False(VoteResponseFrame.TryRead(a[..^1], out _));
        Assert.False(new VoteResponseFrame(9, true, true).TryWrite(a[..^1]));
    }

    [Fact]
    public void Terms_and_indexes_above_2_to_the_63_are_rejected()
    {
        Span<byte> b = stackalloc byte[VoteRequestFrame.Size];
        foreach (VoteRequestFrame bad in (VoteRequestFrame[])[new(ulong.MaxValue, 1, 1, false), new(WireLimits.MaxTerm + 1, 1, 1, true),
            new(5, ulong.MaxValue, 1, false), new(0, 0, 0, false)])
        {
            Assert.True(bad.TryWrite(b));
            Assert.False(VoteRequestFrame.TryRead(b, out _));
        }

        Assert.True(new VoteRequestFrame(WireLimits.MaxTerm, WireLimits.MaxLogIndex, WireLimits.MaxTerm, false).TryWrite(b));
        Assert.True(VoteRequestFrame.TryRead(b, out _));
        Span<byte> a = stackalloc byte[VoteResponseFrame.Size];
        Assert.True(new VoteResponseFrame(ulong.MaxValue, true, false, new NodeId(4)).TryWrite(a));
        Assert.False(VoteResponseFrame.TryRead(a, out _));
        Assert.True(new VoteResponseFrame(WireLimits.MaxTerm, true, false, new NodeId(4)).TryWrite(a));
        Assert.True(VoteResponseFrame.TryRead(a, out _));
    }
}
