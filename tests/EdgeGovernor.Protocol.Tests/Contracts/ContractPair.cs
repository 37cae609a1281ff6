using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Protocol.Tests.Contracts;

/// <summary>The contract between boards 1 (A) and 2 (B) the two-board exchange tests use, and message delivery between them.</summary>
internal static class ContractPair
{
    public const long T0 = 1_717_200_000_000;
    public const long DecideBy = T0 + 60_000;
    public const long RunBy = T0 + 3_600_000;
    public const uint Price = 15_000;

    /// <summary>A's copy (partner B).</summary>
    public static readonly ContractTerms AtA = new(11, new NodeId(2), 5_000, 25_000, 40, ClassesOut: 1, ClassesIn: 1, T0 - 1, T0 + 86_400_000);

    /// <summary>B's copy (partner A).</summary>
    public static readonly ContractTerms AtB = AtA with { Partner = new NodeId(1) };

    /// <summary>Delivers everything in <paramref name="from"/>'s outbox to <paramref name="to"/> and carries out the
    /// effects; returns the payloads delivered.</summary>
    public static List<byte[]> Deliver(ContractBoard from, ContractBoard to)
    {
        var batch = from.Outbox.ToArray();
        from.Outbox.Clear();
        var delivered = new List<byte[]>(batch.Length);
        foreach ((NodeId dest, byte[] payload, _) in batch)
        {
            Assert.Equal(to.Id, dest);
            to.Receive(from.Id, payload);
            Assert.True(to.Apply());
            delivered.Add(payload);
        }
        return delivered;
    }
}
