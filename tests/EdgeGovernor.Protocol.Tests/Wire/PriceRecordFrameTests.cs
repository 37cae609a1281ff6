using System.Buffers.Binary;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Wire;

public sealed class PriceRecordFrameTests
{
    private const long Hour = 3_600_000;
    private const long T0 = 1_704_067_200_000; // 2024-01-01T00:00Z
    private static readonly NodeId Signer = new(3);

    [Fact]
    public void Wire_round_trip_and_validation()
    {
        var r = new PriceRecord(T0, T0 + Hour, -12_345, 7, 9, 1000);
        Span<byte> buffer = stackalloc byte[PriceRecordFrame.Size];
        Assert.False(new PriceRecordFrame(r, 8, Signer).TryWrite(buffer[..10]));
        Assert.True(new PriceRecordFrame(r, 8, Signer).TryWrite(buffer));
        Assert.True(PriceRecordFrame.TryRead(buffer, out PriceRecordFrame back));
        Assert.Equal(r, back.Record);
        Assert.Equal(8ul, back.PreviousTerm);

        Assert.False(PriceRecordFrame.TryRead(buffer[..^1], out _));
        new PriceRecordFrame(r with { IntervalEndMs = T0 }, 8, Signer).TryWrite(buffer);
        Assert.False(PriceRecordFrame.TryRead(buffer, out _));
        new PriceRecordFrame(r, 10, Signer).TryWrite(buffer); // previous term above the term
        Assert.False(PriceRecordFrame.TryRead(buffer, out _));
        new PriceRecordFrame(r with { Index = 0 }, 1, Signer).TryWrite(buffer);
        Assert.False(PriceRecordFrame.TryRead(buffer, out _));
    }

    [Fact]
    public void Layout_matches_the_byte_diagram()
    {
        var r = new PriceRecord(T0, T0 + Hour, -12_345, 7, 9, 1000);
        Span<byte> b = stackalloc byte[PriceRecordFrame.Size];
        Assert.True(new PriceRecordFrame(r, 8, Signer).TryWrite(b));
        Assert.Equal(T0, BinaryPrimitives.ReadInt64BigEndian(b));
        Assert.Equal(T0 + Hour, BinaryPrimitives.ReadInt64BigEndian(b[8..]));
        Assert.Equal(-12_345, BinaryPrimitives.ReadInt32BigEndian(b[16..]));
        Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(b[20..]));
        Assert.Equal(9ul, BinaryPrimitives.ReadUInt64BigEndian(b[22..]));
        Assert.Equal(1000ul, BinaryPrimitives.ReadUInt64BigEndian(b[30..]));
        Assert.Equal(8ul, BinaryPrimitives.ReadUInt64BigEndian(b[38..]));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(b[46..]));
        Assert.Equal(114, PriceRecordFrame.Size); // 50 signed bytes + the 64-byte signature
    }

    [Fact]
    public void A_record_without_a_signer_is_rejected()
    {
        var r = new PriceRecord(T0, T0 + Hour, 1, 1, 2, 3);
        Span<byte> b = stackalloc byte[PriceRecordFrame.Size];
        Assert.True(new PriceRecordFrame(r, 1, NodeId.None).TryWrite(b));
        Assert.False(PriceRecordFrame.TryRead(b, out _));
        Assert.False(new PriceRecordFrame(r, 1, Signer).TryWrite(b[..(PriceRecordFrame.Size - 1)])); // no room for the signature
    }

    [Fact]
    public void A_no_op_record_may_have_an_empty_interval()
    {
        var noOp = new PriceRecord(0, 0, 0, PriceRecord.NoOpSource, 3, 4);
        Span<byte> b = stackalloc byte[PriceRecordFrame.Size];
        Assert.True(new PriceRecordFrame(noOp, 2, Signer).TryWrite(b));
        Assert.True(PriceRecordFrame.TryRead(b, out PriceRecordFrame back));
        Assert.True(back.Record.IsNoOp);
    }

    [Theory]
    [InlineData(T0, long.MaxValue)]
    [InlineData(long.MinValue, T0)]
    [InlineData(long.MinValue, long.MaxValue)]
    [InlineData(WireLimits.MinIntervalMs - 1, WireLimits.MinIntervalMs + Hour)] // starts in 1999
    [InlineData(WireLimits.MaxIntervalMs - Hour, WireLimits.MaxIntervalMs + 1)] // ends after 2200
    [InlineData(T0, T0 + WireLimits.MaxIntervalLengthMs + 1)] // longer than 7 days
    [InlineData(0, Hour)]
    public void Implausible_interval_times_are_refused(long startMs, long endMs)
    {
        Span<byte> b = stackalloc byte[PriceRecordFrame.Size];
        Assert.True(new PriceRecordFrame(new PriceRecord(startMs, endMs, 1, 1, 2, 3), 1, Signer).TryWrite(b));
        Assert.False(PriceRecordFrame.TryRead(b, out _));
        Assert.False(new PriceLog().Accept(new PriceRecord(startMs, endMs, 1, 1, 2, 1), 0) == PriceLogResult.Appended);
        Assert.Equal(PriceLogResult.Invalid, new PriceLog().AppendAsLeader(2, startMs, endMs, 1, 1, out _));
    }

    [Fact]
    public void The_edges_of_the_plausible_window_are_accepted()
    {
        Span<byte> b = stackalloc byte[PriceRecordFrame.Size];
        Assert.True(new PriceRecordFrame(new PriceRecord(WireLimits.MinIntervalMs, WireLimits.MinIntervalMs + WireLimits.MaxIntervalLengthMs, 1, 1, 2, 3), 1, Signer).TryWrite(b));
        Assert.True(PriceRecordFrame.TryRead(b, out _));
        Assert.True(new PriceRecordFrame(new PriceRecord(WireLimits.MaxIntervalMs - 1, WireLimits.MaxIntervalMs, int.MinValue, ushort.MaxValue, WireLimits.MaxTerm, WireLimits.MaxLogIndex), WireLimits.MaxTerm, Signer).TryWrite(b));
        Assert.True(PriceRecordFrame.TryRead(b, out _));
    }

    [Fact]
    public void Terms_and_indexes_above_2_to_the_63_and_no_ops_with_a_price_or_interval_are_refused()
    {
        var r = new PriceRecord(T0, T0 + Hour, 1, 1, 2, 3);
        var noOp = new PriceRecord(0, 0, 0, PriceRecord.NoOpSource, 2, 3);
        Span<byte> b = stackalloc byte[PriceRecordFrame.Size];
        foreach (PriceRecordFrame bad in (PriceRecordFrame[])[
            new(r with { Term = WireLimits.MaxTerm + 1 }, 1), new(r with { Term = ulong.MaxValue }, 1),
            new(r with { Index = WireLimits.MaxLogIndex + 1 }, 1), new(r with { Index = ulong.MaxValue }, 1),
            new(noOp with { PriceE4 = 5 }, 1), new(noOp with { IntervalStartMs = T0, IntervalEndMs = T0 + Hour }, 1),
            new(noOp with { IntervalEndMs = long.MaxValue }, 1)])
        {
            Assert.True(bad.TryWrite(b));
            Assert.False(PriceRecordFrame.TryRead(b, out _), bad.ToString());
        }
    }
}
