namespace EdgeGovernor.Protocol.Cluster;

/// <summary>Whether a node has a price to apply now.</summary>
public enum PriceStatus : byte
{
    /// <summary>No priced record has ever been held.</summary>
    None = 0,

    /// <summary>A record covers the current time.</summary>
    Fresh = 1,

    /// <summary>Every held record has expired (or starts later): the application must apply its safe policy.</summary>
    Stale = 2,
}
