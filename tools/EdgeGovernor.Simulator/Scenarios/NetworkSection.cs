namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>The network section: the default link plus sender-side loss and overrides.</summary>
public sealed class NetworkSection : LinkSection
{
    /// <summary>Loss at the sender of data datagrams (every receiver misses them).</summary>
    public double? SenderDataLoss { get; set; }

    /// <summary>Loss at the sender of control datagrams.</summary>
    public double? SenderControlLoss { get; set; }

    /// <summary>Link overrides (later ones win).</summary>
    public List<LinkOverrideSection>? Links { get; set; }
}
