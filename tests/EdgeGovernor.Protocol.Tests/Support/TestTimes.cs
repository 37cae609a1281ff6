namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>Plausible unix times for price records (inside <see cref="Wire.WireLimits"/>' window).</summary>
internal static class TestTimes
{
    /// <summary>2024-01-01T00:00Z in unix milliseconds.</summary>
    public const long T0 = 1_704_067_200_000;

    /// <summary>One hour in milliseconds.</summary>
    public const long Hour = 3_600_000;

    /// <summary><see cref="T0"/> in unix microseconds (a test cluster's epoch offset at monotonic 0).</summary>
    public const long T0Us = T0 * 1000;
}
