namespace EdgeGovernor.Policy;

/// <summary>Which rule set produced a decision.</summary>
public enum PolicyMode : byte
{
    /// <summary>Price in force: economics decide within the envelope.</summary>
    Normal = 0,

    /// <summary>Stale price, safe policy "fixed cap": every cap at the configured cap, no power cycling.</summary>
    StaleFixedCap = 1,

    /// <summary>Stale price, safe policy "fallback price": economics at the configured fallback price.</summary>
    StaleFallbackPrice = 2,
}
