using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Price record bodies through <see cref="PriceRecordFrame.TryRead"/> directly (the <c>cluster</c> target reaches it only
/// through a sealed multicast datagram on the price channel): a frame read must write back to the same field bytes (the
/// signature after them is the maker's, checked against its key elsewhere, and not written by <c>TryWrite</c>).
/// </summary>
internal sealed class PriceRecordTarget : IFuzzTarget
{
    private readonly byte[] _written = new byte[PriceRecordFrame.Size];

    public string Name => "price";

    public string Description => "price record frames (PriceRecordFrame.TryRead, written back)";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (!PriceRecordFrame.TryRead(input, out PriceRecordFrame frame))
        {
            return;
        }
        if (!frame.TryWrite(_written) || !input[..PriceRecordFrame.SignedSize].SequenceEqual(_written.AsSpan(0, PriceRecordFrame.SignedSize)))
        {
            throw new InvalidOperationException("a price record read does not write back to the same bytes");
        }
    }

    public IEnumerable<byte[]> Seeds()
    {
        long start = new DateTimeOffset(2024, 10, 27, 1, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var records = new[]
        {
            new PriceRecordFrame(new PriceRecord(start, start + 3_600_000, 82_500, 2, 3, 40), 3),
            new PriceRecordFrame(new PriceRecord(start, start + 900_000, -12_345, 3, 1, 1), 0),
            new PriceRecordFrame(new PriceRecord(start + 86_400_000, start + 90_000_000, 4_000_000, 1, 7, 1000), 6),
        };
        foreach (PriceRecordFrame r in records)
        {
            byte[] bytes = new byte[PriceRecordFrame.Size];
            r.TryWrite(bytes);
            yield return bytes;
        }
    }
}
