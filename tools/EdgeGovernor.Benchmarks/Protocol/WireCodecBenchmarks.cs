using BenchmarkDotNet.Attributes;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Benchmarks.Protocol;

/// <summary>
/// One 64-byte-payload message through the wire codec: the raw codec (encode + decode) and the
/// authenticated path (encode + seal with HMAC-SHA256/128 + decode + verify). Reported per message.
/// </summary>
[MemoryDiagnoser]
public class WireCodecBenchmarks
{
    private const int Batch = 1000;
    private const uint Cluster = 0xED6E0001;
    private readonly byte[] _payload = new byte[64];
    private readonly byte[] _datagram = new byte[WireCodec.MaxDatagram];
    private KeyRing _keys = null!;

    [GlobalSetup]
    public void Setup()
    {
        byte[] secret = new byte[32];
        new Random(1).NextBytes(secret);
        _keys = new KeyRing(new ClusterKey(1, secret));
        new Random(2).NextBytes(_payload);
    }

    [GlobalCleanup]
    public void Cleanup() => _keys.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "raw encode+decode (64 B)")]
    public long RawCodec()
    {
        long sum = 0;
        for (int i = 0; i < Batch; i++)
        {
            var header = new MessageHeader(MessageType.MulticastData, Cluster, new NodeId(2), 1, 0, (ulong)i + 1, 64, 1);
            int length = WireCodec.Encode(_datagram, header, _payload);
            if (WireCodec.TryDecode(_datagram.AsSpan(0, length), Cluster, out MessageHeader decoded, out ReadOnlySpan<byte> body) == DropReason.None)
            {
                sum += (long)decoded.Sequence + body[0];
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "encode+seal+decode+verify (64 B)")]
    public long AuthenticatedCodec()
    {
        long sum = 0;
        for (int i = 0; i < Batch; i++)
        {
            var header = new MessageHeader(MessageType.MulticastData, Cluster, new NodeId(2), 1, 0, (ulong)i + 1, 64, 1);
            int length = WireCodec.Encode(_datagram, header, _payload);
            Span<byte> datagram = _datagram.AsSpan(0, length);
            _keys.Seal(datagram);
            if (WireCodec.TryDecode(datagram, Cluster, out MessageHeader decoded, out ReadOnlySpan<byte> body) == DropReason.None
                && _keys.Verify(datagram) == DropReason.None)
            {
                sum += (long)decoded.Sequence + body[0];
            }
        }

        return sum;
    }
}
