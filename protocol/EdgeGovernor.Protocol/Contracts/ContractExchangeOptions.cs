namespace EdgeGovernor.Protocol.Contracts;

/// <summary>How a <see cref="ContractExchange"/> runs.</summary>
public sealed record ContractExchangeOptions
{
    /// <summary>This board's node id.</summary>
    public NodeId Self { get; init; }

    /// <summary>The cluster id (bound into every signature, as in the cluster's own signatures).</summary>
    public uint ClusterId { get; init; }

    /// <summary>The node's reliable unicast channel the contract messages travel on (the price log uses 1).</summary>
    public byte Channel { get; init; } = 2;

    /// <summary>Retransmission period of an unanswered offer, an outcome query and an unacknowledged done report (ms).</summary>
    public long RetryMs { get; init; } = 2_000;

    /// <summary>A prepared receiver first asks for the outcome this long after its accept (ms), then every <see cref="RetryMs"/>.</summary>
    public long QueryAfterMs { get; init; } = 5_000;

    /// <summary>Most transfers open at once (both roles; a further offer is refused as <see cref="RefuseReason.Busy"/>,
    /// a further own offer is not made).</summary>
    public int MaxOpenTransfers { get; init; } = 1024;

    /// <summary>A finished transfer (aborted, settled, closed) is kept this long past its run-by deadline before
    /// <see cref="ContractExchange.Compact"/> may forget it, so late duplicates still get the same answer (ms).</summary>
    public long RetainFinishedMs { get; init; } = 86_400_000;

    /// <summary>Null when usable; otherwise what is wrong, naming the option.</summary>
    public string? Validate()
    {
        if (!Self.IsValid)
        {
            return "self: must be a node id other than 0";
        }
        if (Channel == 0)
        {
            return "channel: 0 is the application's; use 1..255";
        }
        if (RetryMs is < 1 or > 3_600_000)
        {
            return "retryMs: must be within 1..3600000";
        }
        if (QueryAfterMs is < 1 or > 3_600_000)
        {
            return "queryAfterMs: must be within 1..3600000";
        }
        if (MaxOpenTransfers is < 1 or > 1_000_000)
        {
            return "maxOpenTransfers: must be within 1..1000000";
        }
        if (RetainFinishedMs is < 0 or > 30L * 86_400_000)
        {
            return "retainFinishedMs: must be within 0..2592000000";
        }
        return null;
    }
}
