using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Wire;

/// <summary>The channel frames: exact bytes (the diagrams in their doc comments), round trips and the checks of TryRead.</summary>
public class FrameTests
{
    [Fact]
    public void Multicast_data_has_the_documented_layout_and_round_trips()
    {
        var frame = new MulticastDataFrame(new NodeId(0x01020304), 5, 6, 7, 9);
        byte[] buffer = new byte[64];
        Assert.True(frame.TryWrite(buffer, [0xAA, 0xBB], out int written));
        Assert.Equal(31, written);
        Assert.Equal("01020304" + "0000000000000005" + "0000000000000006" + "0000000000000007" + "09" + "AABB", Convert.ToHexString(buffer, 0, written));

        Assert.True(MulticastDataFrame.TryRead(buffer.AsSpan(0, written), out MulticastDataFrame read, out ReadOnlySpan<byte> message));
        Assert.Equal(frame, read);
        Assert.Equal(new byte[] { 0xAA, 0xBB }, message.ToArray());
        Assert.False(frame.TryWrite(new byte[30], [0xAA, 0xBB], out _));
        Assert.False(frame.TryWrite(new byte[2000], new byte[MulticastDataFrame.MaxMessage + 1], out _));
    }

    [Fact]
    public void Multicast_data_rejects_short_and_zero_fields_and_an_original_must_come_from_its_origin()
    {
        byte[] b = Write(new MulticastDataFrame(new NodeId(2), 1, 5, 4, 0));
        Assert.False(MulticastDataFrame.TryRead(b.AsSpan(0, MulticastDataFrame.HeaderSize - 1), out _, out _));
        Assert.False(MulticastDataFrame.TryRead(Write(new MulticastDataFrame(NodeId.None, 1, 5, 4, 0)), out _, out _));
        Assert.False(MulticastDataFrame.TryRead(Write(new MulticastDataFrame(new NodeId(2), 0, 5, 4, 0)), out _, out _));
        Assert.False(MulticastDataFrame.TryRead(Write(new MulticastDataFrame(new NodeId(2), 1, 0, 0, 0)), out _, out _));

        Assert.True(MulticastDataFrame.TryRead(b, out MulticastDataFrame f, out _));
        var header = new MessageHeader(MessageType.MulticastData, 1, new NodeId(2), 1, 0, 1, 0, 1);
        Assert.True(f.IsValidOriginal(header));
        Assert.False((f with { Stable = 5 }).IsValidOriginal(header)); // stable must lie below the sequence
        Assert.False(f.IsValidOriginal(header with { Sender = new NodeId(3) })); // a repair by a holder, not an original
        Assert.False(f.IsValidOriginal(header with { Incarnation = 2 }));
    }

    [Fact]
    public void Nack_has_the_documented_layout_and_rejects_another_length_or_a_wrapping_first()
    {
        var frame = new NackFrame(new NodeId(2), 1, 3, 0x8000_0000_0000_0001);
        byte[] buffer = new byte[NackFrame.Size];
        Assert.True(frame.TryWrite(buffer, out int written));
        Assert.Equal(NackFrame.Size, written);
        Assert.Equal("00000002" + "0000000000000001" + "0000000000000003" + "8000000000000001", Convert.ToHexString(buffer));
        Assert.True(NackFrame.TryRead(buffer, out NackFrame read));
        Assert.Equal(frame, read);

        Assert.False(NackFrame.TryRead(new byte[NackFrame.Size + 1], out _));
        Assert.False(NackFrame.TryRead(Write(frame with { FirstMissing = 0 }), out _));
        Assert.False(NackFrame.TryRead(Write(frame with { FirstMissing = ulong.MaxValue - 63 }), out _));
        Assert.False(NackFrame.TryRead(Write(frame with { FirstMissing = WireLimits.MaxSequence + 1 }), out _));
        Assert.True(NackFrame.TryRead(Write(frame with { FirstMissing = WireLimits.MaxSequence }), out _));
        Assert.False(frame.TryWrite(new byte[NackFrame.Size - 1], out _));
    }

    [Fact]
    public void Heartbeat_frames_reports_and_section_in_place_and_round_trips()
    {
        byte[] p = new byte[WireCodec.MaxPayload];
        Span<byte> reports = HeartbeatFrame.ReportArea(p, 2);
        Assert.True(new StabilityReport(new NodeId(4), 1, 10).TryWrite(reports, out _));
        Assert.True(new StabilityReport(new NodeId(5), 2, 20).TryWrite(reports[StabilityReport.Size..], out _));
        HeartbeatFrame.SectionArea(p, 2, 3).Fill(0x5A);
        var frame = new HeartbeatFrame(9, 8, 2, 3);
        Assert.True(frame.TryWrite(p, out int written));
        Assert.Equal(18 + 40 + 2 + 3, written);
        Assert.Equal(
            "0000000000000009" + "0000000000000008" + "0002" + "00000004" + "0000000000000001" + "000000000000000A" + "00000005" + "0000000000000002" + "0000000000000014" + "0003" + "5A5A5A",
            Convert.ToHexString(p, 0, written));

        Assert.True(HeartbeatFrame.TryRead(p.AsSpan(0, written), out HeartbeatFrame read));
        Assert.Equal(frame, read);
        Assert.True(StabilityReport.TryRead(read.Reports(p.AsSpan(0, written))[StabilityReport.Size..], out StabilityReport second));
        Assert.Equal(new StabilityReport(new NodeId(5), 2, 20), second);
        Assert.Equal(new byte[] { 0x5A, 0x5A, 0x5A }, read.Section(p.AsSpan(0, written)).ToArray());
    }

    [Fact]
    public void Heartbeat_rejects_short_payloads_overrunning_counts_trailing_bytes_and_stable_above_highest()
    {
        byte[] valid = Write(new HeartbeatFrame(2, 1, 0, 0));
        Assert.True(HeartbeatFrame.TryRead(valid, out _));
        Assert.False(HeartbeatFrame.TryRead(valid.AsSpan(0, HeartbeatFrame.MinSize - 1), out _));
        Assert.False(HeartbeatFrame.TryRead(Write(new HeartbeatFrame(1, 2, 0, 0)), out _)); // stable > highest
        Assert.False(HeartbeatFrame.TryRead([.. valid, 0], out _)); // trailing byte

        byte[] overrun = Write(new HeartbeatFrame(2, 1, 1, 0)); // one report announced ...
        Assert.False(HeartbeatFrame.TryRead(overrun.AsSpan(0, HeartbeatFrame.MinSize), out _)); // ... none present
        byte[] section = Write(new HeartbeatFrame(2, 1, 0, 5));
        Assert.False(HeartbeatFrame.TryRead(section.AsSpan(0, section.Length - 1), out _)); // section cut short
        Assert.Equal((WireCodec.MaxPayload - HeartbeatFrame.MinSize - 256) / StabilityReport.Size, HeartbeatFrame.MaxReports(256));
    }

    [Fact]
    public void Unicast_data_has_the_documented_layout_and_checks_its_sequence_numbers()
    {
        var frame = new UnicastDataFrame(7, 5, 3);
        byte[] buffer = new byte[UnicastDataFrame.HeaderSize + 1];
        Assert.True(frame.TryWrite(buffer, [0xEE], out int written));
        Assert.Equal("07" + "0000000000000005" + "0000000000000003" + "EE", Convert.ToHexString(buffer, 0, written));
        Assert.True(UnicastDataFrame.TryRead(buffer, out UnicastDataFrame read, out ReadOnlySpan<byte> message));
        Assert.Equal(frame, read);
        Assert.Equal(new byte[] { 0xEE }, message.ToArray());

        Assert.False(UnicastDataFrame.TryRead(buffer.AsSpan(0, UnicastDataFrame.HeaderSize - 1), out _, out _));
        Assert.False(UnicastDataFrame.TryRead(Write(frame with { Sequence = 0, FirstUnacked = 0 }), out _, out _));
        Assert.False(UnicastDataFrame.TryRead(Write(frame with { FirstUnacked = 0 }), out _, out _));
        Assert.False(UnicastDataFrame.TryRead(Write(frame with { FirstUnacked = 6 }), out _, out _)); // above the sequence
    }

    [Fact]
    public void Ack_has_the_documented_layout_and_an_exact_length()
    {
        var frame = new UnicastAckFrame(1, 2, 4);
        byte[] buffer = Write(frame);
        Assert.Equal("0000000000000001" + "0000000000000002" + "0000000000000004", Convert.ToHexString(buffer));
        Assert.True(UnicastAckFrame.TryRead(buffer, out UnicastAckFrame read));
        Assert.Equal(frame, read);
        Assert.False(UnicastAckFrame.TryRead(buffer.AsSpan(1), out _));
        Assert.False(UnicastAckFrame.TryRead([.. buffer, 0], out _));
    }

    private static byte[] Write(MulticastDataFrame frame)
    {
        byte[] b = new byte[MulticastDataFrame.HeaderSize];
        Assert.True(frame.TryWrite(b, [], out _));
        return b;
    }

    private static byte[] Write(NackFrame frame)
    {
        byte[] b = new byte[NackFrame.Size];
        Assert.True(frame.TryWrite(b, out _));
        return b;
    }

    private static byte[] Write(HeartbeatFrame frame)
    {
        byte[] b = new byte[frame.Size];
        Assert.True(frame.TryWrite(b, out _));
        return b;
    }

    private static byte[] Write(UnicastDataFrame frame)
    {
        byte[] b = new byte[UnicastDataFrame.HeaderSize];
        Assert.True(frame.TryWrite(b, [], out _));
        return b;
    }

    private static byte[] Write(UnicastAckFrame frame)
    {
        byte[] b = new byte[UnicastAckFrame.Size];
        Assert.True(frame.TryWrite(b, out _));
        return b;
    }

    [Fact]
    public void Sequences_above_2_to_the_63_are_rejected_in_every_core_frame()
    {
        const ulong Over = WireLimits.MaxSequence + 1;
        byte[] data = new byte[MulticastDataFrame.HeaderSize];
        Assert.True(new MulticastDataFrame(new NodeId(2), 1, Over, 0, 0).TryWrite(data, [], out _));
        Assert.False(MulticastDataFrame.TryRead(data, out _, out _));
        Assert.True(new MulticastDataFrame(new NodeId(2), 1, 5, Over, 0).TryWrite(data, [], out _));
        Assert.False(MulticastDataFrame.TryRead(data, out _, out _));
        Assert.True(new MulticastDataFrame(new NodeId(2), 1, WireLimits.MaxSequence, 1, 0).TryWrite(data, [], out _));
        Assert.True(MulticastDataFrame.TryRead(data, out _, out _));

        byte[] unicast = new byte[UnicastDataFrame.HeaderSize];
        Assert.True(new UnicastDataFrame(0, Over, 1).TryWrite(unicast, [], out _));
        Assert.False(UnicastDataFrame.TryRead(unicast, out _, out _));
        Assert.False(UnicastAckFrame.TryRead(Write(new UnicastAckFrame(1, Over, 0)), out _));
        Assert.True(UnicastAckFrame.TryRead(Write(new UnicastAckFrame(1, WireLimits.MaxSequence, 0)), out _));

        Assert.False(HeartbeatFrame.TryRead(Frames.Heartbeat(Over, 0), out _));
        byte[] p = new byte[HeartbeatFrame.MinSize + StabilityReport.Size];
        Assert.True(new StabilityReport(new NodeId(4), 1, Over).TryWrite(HeartbeatFrame.ReportArea(p, 1), out _));
        Assert.True(new HeartbeatFrame(1, 0, 1, 0).TryWrite(p, out _));
        Assert.False(HeartbeatFrame.TryRead(p, out _));
    }
}
