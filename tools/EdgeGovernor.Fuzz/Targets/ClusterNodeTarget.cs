using System.Buffers.Binary;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Authenticated datagrams of every type into a real <see cref="ClusterNode"/> (node 1 of a roster of 5): the input
/// is a script of records, each sealed with the cluster key by the harness, so that every body parser and cluster
/// handler is reached as a key holder (a buggy or hostile board) would reach it. A fresh node per input keeps runs
/// deterministic.
/// <code>
/// record: type (1) | sender (1: node 2 + value % 6, so 6 and 7 are outside the roster) | flags (1) | term (1) |
///         length (2, big-endian, at most 1200) | payload (length)
/// flags:  bit 0 incarnation 2 instead of 1; bits 4-7 advance the clock by 0..15 x 25 ms before the record
/// term:   0..239 as is; 240..255 pick an extreme (2^32, 2^63, 2^64 - 1, ...)
/// </code>
/// </summary>
internal sealed class ClusterNodeTarget : IFuzzTarget
{
    private const int RecordHeader = 6;
    private const int MaxRecords = 32;
    private static readonly NodeId[] Roster = [new(1), new(2), new(3), new(4), new(5)];
    private static readonly ulong[] ExtremeTerms =
    [
        1UL << 32, 1UL << 63, ulong.MaxValue, ulong.MaxValue - 1, (1UL << 63) - 1, 1UL << 16, 1000, 100_000,
        uint.MaxValue, (ulong)long.MaxValue + 2, 1UL << 40, 1UL << 48, 1UL << 56, ulong.MaxValue / 3, 7, 12,
    ];

    private readonly byte[] _datagram = new byte[WireCodec.MaxDatagram];
    private readonly ulong[] _sequences = new ulong[16];

    public string Name => "cluster";

    public string Description => "authenticated datagrams of every type into a ClusterNode (all body parsers and handlers)";

    public void Run(ReadOnlySpan<byte> input)
    {
        const long start = 1_000_000;
        long now = start;
        using var keys = new KeyRing(FuzzKeys.Key);
        using var node = new ClusterNode(new ClusterOptions { Roster = Roster, Signer = FuzzSigning.Signer(1), Verifier = FuzzSigning.Roster }, FuzzKeys.Options(1), NullSink.Instance,
            NullHandler.Instance, new SplitMix64Random(42), new InMemoryVoteStore(), now);
        Array.Clear(_sequences);
        node.Tick(now);
        for (int records = 0; records < MaxRecords && input.Length >= RecordHeader; records++)
        {
            byte type = input[0];
            var sender = new NodeId(2u + (uint)(input[1] % 6));
            byte flags = input[2];
            byte term = input[3];
            int length = Math.Min((int)BinaryPrimitives.ReadUInt16BigEndian(input[4..]), WireCodec.MaxPayload);
            length = Math.Min(length, input.Length - RecordHeader);
            ReadOnlySpan<byte> payload = input.Slice(RecordHeader, length);
            input = input[(RecordHeader + length)..];

            now += (flags >> 4) * 25_000L;
            ulong incarnation = 1UL + (flags & 1u);
            int slot = (int)((sender.Value * 2) + (incarnation - 1)) % _sequences.Length;
            var header = new MessageHeader((MessageType)type, FuzzKeys.ClusterId, sender, incarnation,
                term < 240 ? term : ExtremeTerms[term - 240], ++_sequences[slot], (ushort)length, FuzzKeys.Key.KeyId);
            int size = WireCodec.Encode(_datagram, header, payload);
            keys.Seal(_datagram.AsSpan(0, size));
            node.Receive(_datagram.AsSpan(0, size), now);
            if (node.NextDeadlineUs <= now)
            {
                node.Tick(now);
            }
        }
        // Let the timers run over what the script left behind: elections, catch-up, failure detection.
        for (int i = 0; i < 40; i++)
        {
            now = Math.Max(now + 1, Math.Min(node.NextDeadlineUs, now + 200_000));
            node.Tick(now);
        }
    }

    public IEnumerable<byte[]> Seeds() => ClusterSeedRecorder.Record();

    /// <summary>Writes one record in the script format (used by the seed recorder).</summary>
    internal static void AppendRecord(List<byte> script, in MessageHeader header, ReadOnlySpan<byte> payload, byte flags)
    {
        script.Add((byte)header.Type);
        script.Add((byte)((header.Sender.Value - 2) % 6));
        script.Add((byte)(flags | (header.Incarnation == 2 ? 1 : 0)));
        script.Add((byte)Math.Min(header.Term, 239UL));
        script.Add((byte)(payload.Length >> 8));
        script.Add((byte)payload.Length);
        script.AddRange(payload.ToArray());
    }

    private sealed class NullSink : IDatagramSink
    {
        public static readonly NullSink Instance = new();

        public void Send(Destination destination, ReadOnlySpan<byte> datagram)
        {
        }
    }

    private sealed class NullHandler : IDeliveryHandler
    {
        public static readonly NullHandler Instance = new();

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }
    }
}
