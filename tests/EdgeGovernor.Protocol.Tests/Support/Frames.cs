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

    /// <summary>A heartbeat with no reports carrying <paramref name="section"/> as its component section (a coordinator's
    /// with a zero signature).</summary>
    public static byte[] Heartbeat(ClusterHeartbeatSectionFrame section, params NodeId[] alternates)
    {
        int size = section.IsCoordinator ? ClusterHeartbeatSectionFrame.CoordinatorSizeOf(alternates.Length) : ClusterHeartbeatSectionFrame.SizeOf(alternates.Length);
        byte[] p = new byte[HeartbeatFrame.MinSize + size];
        Assert.True(section.TryWrite(HeartbeatFrame.SectionArea(p, 0, size), alternates, out int length));
        Assert.True(new HeartbeatFrame(0, 0, 0, length).TryWrite(p, out int written));
        Assert.Equal(p.Length, written);
        return p;
    }

    /// <summary>
    /// A heartbeat carrying a coordinator's <paramref name="section"/> signed with <paramref name="signer"/>'s key
    /// (<see cref="TestKeys.Signer"/>) for a datagram from <paramref name="sender"/> in <paramref name="term"/>. A forger
    /// signs with its own key while claiming another sender.
    /// </summary>
    public static byte[] SignedHeartbeat(ClusterHeartbeatSectionFrame section, uint signer, uint sender, ulong term, ulong incarnation = 1, params NodeId[] alternates)
    {
        byte[] p = Heartbeat(section, alternates);
        Span<byte> area = p.AsSpan(HeartbeatFrame.MinSize);
        int signed = ClusterHeartbeatSectionFrame.SizeOf(alternates.Length) + 8;
        SignDatagram(area[..signed], area.Slice(signed, SignatureFormat.SignatureSize), MessageType.Heartbeat, signer, sender, term, incarnation);
        return p;
    }

    /// <summary>Signs <paramref name="signed"/> as a datagram of <paramref name="type"/> from <paramref name="sender"/>
    /// (the prefix of <see cref="SignatureFormat"/>) with <paramref name="signer"/>'s key into <paramref name="signature"/>.</summary>
    public static void SignDatagram(ReadOnlySpan<byte> signed, Span<byte> signature, MessageType type, uint signer, uint sender, ulong term, ulong incarnation = 1)
    {
        byte[] message = new byte[SignatureFormat.DatagramPrefixSize + signed.Length];
        SignatureFormat.WriteDatagramPrefix(message, type, TestKeys.Cluster, new NodeId(sender), incarnation, term);
        signed.CopyTo(message.AsSpan(SignatureFormat.DatagramPrefixSize));
        TestKeys.Signer(signer).Sign(message, signature);
    }

    /// <summary>A vote request signed with <paramref name="signer"/>'s key for a datagram from <paramref name="sender"/>.</summary>
    public static byte[] SignedVoteRequest(VoteRequestFrame request, uint signer, uint sender, ulong headerTerm, ulong incarnation = 1)
    {
        byte[] p = new byte[VoteRequestFrame.Size];
        Assert.True(request.TryWrite(p));
        SignDatagram(p.AsSpan(0, VoteRequestFrame.SignedSize), VoteRequestFrame.SignatureArea(p), request.Type, signer, sender, headerTerm, incarnation);
        return p;
    }

    /// <summary>A vote response signed with <paramref name="signer"/>'s key for a datagram from <paramref name="sender"/>.</summary>
    public static byte[] SignedVoteResponse(VoteResponseFrame response, uint signer, uint sender, ulong headerTerm, ulong incarnation = 1)
    {
        byte[] p = new byte[VoteResponseFrame.Size];
        Assert.True(response.TryWrite(p));
        SignDatagram(p.AsSpan(0, VoteResponseFrame.SignedSize), VoteResponseFrame.SignatureArea(p), response.Type, signer, sender, headerTerm, incarnation);
        return p;
    }

    /// <summary>A price record frame signed with <paramref name="signer"/>'s key (the frame names <see cref="PriceRecordFrame.Signer"/>).</summary>
    public static byte[] SignedRecord(PriceRecordFrame frame, uint signer)
    {
        byte[] p = new byte[PriceRecordFrame.Size];
        Assert.True(frame.TryWrite(p));
        byte[] message = new byte[SignatureFormat.RecordPrefixSize + PriceRecordFrame.SignedSize];
        SignatureFormat.WriteRecordPrefix(message, TestKeys.Cluster);
        p.AsSpan(0, PriceRecordFrame.SignedSize).CopyTo(message.AsSpan(SignatureFormat.RecordPrefixSize));
        TestKeys.Signer(signer).Sign(message, PriceRecordFrame.SignatureArea(p));
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
