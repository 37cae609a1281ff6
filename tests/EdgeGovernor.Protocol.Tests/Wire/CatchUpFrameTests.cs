using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Wire;

public sealed class CatchUpFrameTests
{
    private const long T0 = TestTimes.T0;

    [Fact]
    public void Request_round_trip_and_short_input()
    {
        Span<byte> b = stackalloc byte[CatchUpRequestFrame.Size];
        Assert.True(new CatchUpRequestFrame(42).TryWrite(b));
        Assert.True(CatchUpRequestFrame.TryRead(b, out CatchUpRequestFrame back));
        Assert.Equal(42ul, back.FromIndex);
        Assert.False(CatchUpRequestFrame.TryRead(b[..7], out _));
        Assert.False(new CatchUpRequestFrame(42).TryWrite(b[..7]));
    }

    [Fact]
    public void Reply_round_trip_and_validation()
    {
        PriceRecordFrame[] records = [.. Enumerable.Range(1, CatchUpReplyFrame.MaxRecords).Select(i => new PriceRecordFrame(new PriceRecord(T0 + (i * 10L), T0 + (i * 10L) + 5, i, 1, 2, (ulong)i), i == 1 ? 0ul : 2, new NodeId(1)))];
        var buffer = new byte[WireCodec.MaxPayload];
        Assert.True(CatchUpReplyFrame.TryWrite(buffer, records, out int written));
        Assert.Equal(1 + (10 * PriceRecordFrame.Size), written);
        Assert.True(CatchUpReplyFrame.TryRead(buffer.AsSpan(0, written), out CatchUpReplyFrame reply));
        Assert.Equal(10, reply.Count);
        for (int i = 0; i < reply.Count; i++)
        {
            Assert.True(reply.TryGetRecord(i, out PriceRecordFrame r));
            Assert.Equal(records[i], r);
        }

        Assert.False(reply.TryGetRecord(10, out _));
        Assert.False(CatchUpReplyFrame.TryRead(buffer.AsSpan(0, written - 1), out _)); // count says more than is there
        Assert.False(CatchUpReplyFrame.TryRead([], out _));
        buffer[0] = CatchUpReplyFrame.MaxRecords + 1;
        Assert.False(CatchUpReplyFrame.TryRead(buffer, out _));
        Assert.False(CatchUpReplyFrame.TryWrite(buffer, [.. records, records[0]], out _)); // 11 records
        Assert.False(CatchUpReplyFrame.TryWrite(buffer.AsSpan(0, 10), records.AsSpan(0, 1), out _));
        Assert.True(CatchUpReplyFrame.TryWrite(buffer, [], out written));
        Assert.True(CatchUpReplyFrame.TryRead(buffer.AsSpan(0, written), out reply));
        Assert.Equal(0, reply.Count);
    }

    [Fact]
    public void A_bad_record_in_a_reply_is_reported_by_its_index()
    {
        var buffer = new byte[CatchUpReplyFrame.SizeOf(2)];
        PriceRecordFrame good = new(new PriceRecord(T0, T0 + 10, 1, 1, 1, 1), 0, new NodeId(1));
        Assert.True(CatchUpReplyFrame.TryWrite(buffer, [good, good with { Record = good.Record with { Index = 0 } }], out _));
        Assert.True(CatchUpReplyFrame.TryRead(buffer, out CatchUpReplyFrame reply));
        Assert.True(reply.TryGetRecord(0, out _));
        Assert.False(reply.TryGetRecord(1, out _));
    }

    [Fact]
    public void A_request_from_index_0_or_above_2_to_the_63_is_rejected()
    {
        Span<byte> b = stackalloc byte[CatchUpRequestFrame.Size];
        foreach (ulong from in (ulong[])[0, WireLimits.MaxLogIndex + 1, ulong.MaxValue])
        {
            Assert.True(new CatchUpRequestFrame(from).TryWrite(b));
            Assert.False(CatchUpRequestFrame.TryRead(b, out _));
        }
    }
}
