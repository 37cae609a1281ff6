namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>One fault: <c>crash</c>, <c>restart</c> (<c>nodes</c>), <c>partition</c> (<c>groups</c>), <c>one_way</c> (<c>nodes</c> to <c>to</c>) or <c>heal</c>.</summary>
public sealed class FaultSection
{
    /// <summary>When (seconds).</summary>
    public double? AtSeconds { get; set; }

    /// <summary>What.</summary>
    public string? Kind { get; set; }

    /// <summary>Node set that crashes or restarts, or that sends into a one-way block.</summary>
    public string? Nodes { get; set; }

    /// <summary>Partition groups (node sets).</summary>
    public List<string>? Groups { get; set; }

    /// <summary>Receivers of a one-way block.</summary>
    public string? To { get; set; }
}
