namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>
/// The optional <c>contracts</c> section of a scenario: load contracts between pairs of nodes, each node hosting a
/// contract exchange over its own protocol node's reliable unicast, and a seeded offer workload (every owner offers
/// <see cref="UnitsPerOffer"/> units every <see cref="OfferEverySeconds"/> from <see cref="StartSeconds"/> to
/// <see cref="StopSeconds"/>). Read by <c>Contracts/ContractWorkload</c>.
/// </summary>
public sealed class ContractSection
{
    /// <summary>The contracts (at least one).</summary>
    public List<ContractPairSection>? Pairs { get; set; }

    /// <summary>Units per offer (default 4; at most each contract's cap).</summary>
    public uint? UnitsPerOffer { get; set; }

    /// <summary>Seconds between two offers of one owner (default 1).</summary>
    public double? OfferEverySeconds { get; set; }

    /// <summary>First offer (seconds, default 2).</summary>
    public double? StartSeconds { get; set; }

    /// <summary>No offer at or after this (seconds, default: duration minus 20 s, so the run settles).</summary>
    public double? StopSeconds { get; set; }

    /// <summary>Decide-by deadline after the offer (seconds, default 3).</summary>
    public double? DecideSeconds { get; set; }

    /// <summary>How long a receiver runs committed units before it reports them done (seconds, default 2).</summary>
    public double? RunSeconds { get; set; }

    /// <summary>The receiver's policy accepts while its prepared and committed, not yet done units stay within this (default 64).</summary>
    public uint? ReceiverCapacity { get; set; }

    /// <summary>The exchanges' retry period (ms, default 1000).</summary>
    public long? RetryMs { get; set; }

    /// <summary>A prepared receiver queries the outcome after this (ms, default 2000).</summary>
    public long? QueryAfterMs { get; set; }
}
