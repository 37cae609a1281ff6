using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>Shared steps of the multicast scenario tests: payloads, paced publishing, reading sent datagrams, stream checks.</summary>
internal static class MulticastScenario
{
    public static byte[] Payload(int stream, int index) => [(byte)stream, (byte)(index >> 8), (byte)index, 0xCD, 0xEF];

    /// <summary>A MulticastData payload (origin, incarnation, sequence, stable point 0, channel 0, 4-byte message).</summary>
    /// <summary>Publishes payloads 0..<paramref name="count"/>-1 from <paramref name="from"/>, one attempt per step, until <paramref name="untilUs"/>; returns how many were accepted.</summary>
    public static int PublishPaced(TestNetwork net, TestNetwork.Host from, int count, long untilUs, long stepIntervalUs)
    {
        int published = 0;
        net.RunUntil(untilUs, now =>
        {
            if (published < count && from.Node.TryPublish(Payload(0, published), now))
            {
                published++;
            }
        }, stepIntervalUs: stepIntervalUs);
        return published;
    }

    public static bool IsData(byte[] datagram, out ulong sequence)
    {
        sequence = 0;
        if (!Frames.TryPayload(datagram, MessageType.MulticastData, out ReadOnlySpan<byte> payload) || !MulticastDataFrame.TryRead(payload, out MulticastDataFrame frame, out _))
        {
            return false;
        }

        sequence = frame.Sequence;
        return true;
    }

    public static bool IsNack(byte[] datagram, out ulong origin, out ulong first, out ulong mask)
    {
        origin = first = mask = 0;
        if (!Frames.TryPayload(datagram, MessageType.Nack, out ReadOnlySpan<byte> payload) || !NackFrame.TryRead(payload, out NackFrame nack))
        {
            return false;
        }

        origin = nack.Origin.Value;
        first = nack.FirstMissing;
        mask = nack.Mask;
        return true;
    }

    public static void AssertStream(TestNetwork.Host receiver, NodeId sender, int stream, int count)
    {
        Assert.True(receiver.Multicast.TryGetValue(sender, out var got), $"{receiver.Id} delivered nothing of {sender}");
        Assert.Equal(Enumerable.Range(1, count).Select(s => (ulong)s), got!.Select(m => m.Sequence));
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(Payload(stream, i), got[i].Payload);
        }
    }
}
