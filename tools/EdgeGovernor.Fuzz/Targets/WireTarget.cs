using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>Whole datagrams through the header codec and the key ring (tag check, replay window).</summary>
internal sealed class WireTarget : IFuzzTarget
{
    // Built on the first input: instrumented code must not run before the fuzzer has set up its shared memory.
    private KeyRing? _keys;

    public string Name => "wire";

    public string Description => "datagram header codec and authentication (WireCodec, KeyRing)";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (WireCodec.TryDecode(input, FuzzKeys.ClusterId, out MessageHeader _, out ReadOnlySpan<byte> _) == DropReason.None)
        {
            (_keys ??= new KeyRing(FuzzKeys.Key)).Verify(input);
        }
    }

    public IEnumerable<byte[]> Seeds()
    {
        using var keys = new KeyRing(FuzzKeys.Key);
        foreach ((MessageType type, int length) in new[] { (MessageType.Heartbeat, 24), (MessageType.MulticastData, 40), (MessageType.Nack, 12), (MessageType.PriceRecord, 48) })
        {
            var header = new MessageHeader(type, FuzzKeys.ClusterId, new NodeId(2), Incarnation: 1, Term: 3, Sequence: (ulong)length,
                PayloadLength: (ushort)length, KeyId: FuzzKeys.Key.KeyId);
            byte[] datagram = new byte[WireCodec.DatagramSize(length)];
            byte[] payload = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
            WireCodec.Encode(datagram, header, payload);
            keys.Seal(datagram);
            yield return datagram;
        }
    }
}
