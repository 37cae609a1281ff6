namespace EdgeGovernor.Policy;

/// <summary>What a stale price falls back to.</summary>
public enum SafePolicy : byte
{
    /// <summary>Hold every cap at <see cref="GovernorOptions.SafeCapWatts"/> and cycle nothing.</summary>
    FixedCap = 0,

    /// <summary>Decide as if the price were <see cref="GovernorOptions.FallbackPriceCentsPerKwh"/> now and in the forecast.</summary>
    FallbackPrice = 1,
}
