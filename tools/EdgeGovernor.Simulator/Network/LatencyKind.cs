namespace EdgeGovernor.Simulator.Network;

/// <summary>The shape of a link's one-way latency.</summary>
public enum LatencyKind : byte
{
    /// <summary>Always <c>A</c> microseconds.</summary>
    Constant = 0,

    /// <summary>Uniform in [<c>A</c>, <c>B</c>] microseconds.</summary>
    Uniform = 1,

    /// <summary>Log-normal with median <c>A</c> microseconds and shape <c>Sigma</c>, clamped to [<c>Min</c>, <c>B</c>].</summary>
    LogNormal = 2,
}
