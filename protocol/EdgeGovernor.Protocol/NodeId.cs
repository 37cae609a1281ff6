namespace EdgeGovernor.Protocol;

/// <summary>The identity of a node in the cluster (stable across restarts; restarts change the incarnation).</summary>
/// <param name="Value">The numeric id; 0 is reserved and never names a node.</param>
public readonly record struct NodeId(uint Value)
{
    /// <summary>The reserved "no node" id.</summary>
    public static NodeId None => default;

    /// <summary>True for every id except <see cref="None"/>.</summary>
    public bool IsValid => Value != 0;

    /// <inheritdoc/>
    public override string ToString() => "n" + Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
