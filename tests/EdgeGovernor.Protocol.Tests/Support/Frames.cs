using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>Builds payloads and reads sent datagrams through the wire flyweights (no offsets in tests).</summary>
internal static class Frames
{
    /// <summary>The type of a datagram as sent (its header, before any check).</summary>
    public static MessageType TypeOf(ReadOnlySpan<byte> datagram) => MessageHeader.Read(datagram).Type;

    /// <summary>The payload of a datagram as sent, when it has <paramref name="type"/>.</summary>
    public static bool TryPayload(ReadOnlySpan<byte> datagram, MessageType type, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (datagram.Length < WireCodec.Overhead || TypeOf(datagram) != type)
        {
            return false;
        }

        payload = datagram.Slice(WireCodec.HeaderSize, MessageHeader.Read(datagram).PayloadLength);
        return true;
    }

    /// <summary>A heartbeat with no reports and no section.</summary>
    public static byte[] Heartbeat(ulong highest = 0, ulong stable = 0)
    {
        byte[] p = new byte[HeartbeatFrame.MinSize];
        Assert.True(new HeartbeatFrame(highest, stable, 0, 0).TryWrite(p, out int written));
        Assert.Equal(p.Length, written);
        return p;
    }

    /// <summary>A heartbeat with no reports carrying <paramref name="section"/> as its component section.</summary>
    public static byte[] Heartbeat(ClusterHeartbeatSectionFrame section, params NodeId[] alternates)
    {
        byte[] p = new byte[HeartbeatFrame.MinSize + ClusterHeartbeatSectionFrame.SizeOf(alternates.Length)];
        Assert.True(section.TryWrite(HeartbeatFrame.SectionArea(p, 0, ClusterHeartbeatSectionFrame.SizeOf(alternates.Length)), alternates, out int length));
        Assert.True(new HeartbeatFrame(0, 0, 0, length).TryWrite(p, out int written));
        Assert.Equal(p.Length, written);
        return p;
    }

    /// <summary>A multicast data frame (stable point 0, channel 0) with a zeroed message of <paramref name="messageLength"/> bytes.</summary>
    public static byte[] MulticastData(uint origin, ulong incarnation, ulong sequence, int messageLength = 4)
    {
        byte[] p = new byte[MulticastDataFrame.HeaderSize + messageLength];
        Assert.True(new MulticastDataFrame(new NodeId(origin), incarnation, sequence, 0, 0).TryWrite(p, new byte[messageLength], out int written));
        Assert.Equal(p.Length, written);
        return p;
    }

    public static byte[] Nack(uint origin, ulong incarnation, ulong first, ulong mask)
    {
        byte[] p = new byte[NackFrame.Size];
        Assert.True(new NackFrame(new NodeId(origin), incarnation, first, mask).TryWrite(p, out _));
        return p;
    }
}
