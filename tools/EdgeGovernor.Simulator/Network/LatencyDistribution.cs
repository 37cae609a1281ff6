using EdgeGovernor.Simulator.Randomness;

namespace EdgeGovernor.Simulator.Network;

/// <summary>
/// A one-way latency distribution, sampled per datagram and receiver. Immutable value.
/// </summary>
/// <param name="Kind">The distribution's shape.</param>
/// <param name="A">Constant: the latency; uniform: the minimum; log-normal: the median (microseconds).</param>
/// <param name="B">Uniform: the maximum; log-normal: the cap (microseconds).</param>
/// <param name="Sigma">Log-normal shape (standard deviation of the underlying normal).</param>
/// <param name="Min">Log-normal floor (microseconds).</param>
public readonly record struct LatencyDistribution(LatencyKind Kind, long A, long B = 0, double Sigma = 0, long Min = 0)
{
    /// <summary>A fixed latency.</summary>
    public static LatencyDistribution Constant(long us) => new(LatencyKind.Constant, us, us);

    /// <summary>A latency uniform in [min, max].</summary>
    public static LatencyDistribution Uniform(long minUs, long maxUs) => new(LatencyKind.Uniform, minUs, maxUs);

    /// <summary>A heavy-tailed latency around a median, clamped to [min, max].</summary>
    public static LatencyDistribution LogNormal(long medianUs, double sigma, long minUs, long maxUs) =>
        new(LatencyKind.LogNormal, medianUs, maxUs, sigma, minUs);

    /// <summary>Checks the parameters; returns null when valid, else the reason.</summary>
    public string? Validate() => Kind switch
    {
        LatencyKind.Constant => A < 0 ? "latency must not be negative" : null,
        LatencyKind.Uniform => A < 0 ? "min_us must not be negative" : B < A ? "max_us must be at least min_us" : null,
        LatencyKind.LogNormal => A <= 0 ? "median_us must be positive"
            : Sigma is < 0 or > 5 || double.IsNaN(Sigma) ? "sigma must be in [0, 5]"
            : Min < 0 ? "min_us must not be negative"
            : B < A || B < Min ? "max_us must be at least median_us and min_us" : null,
        _ => "unknown latency kind",
    };

    /// <summary>Draws one latency in microseconds.</summary>
    public long Sample(ref Xoshiro256StarStar random)
    {
        switch (Kind)
        {
            case LatencyKind.Constant:
                return A;
            case LatencyKind.Uniform:
                return B == A ? A : random.NextInt64(A, B + 1);
            default:
                double v = A * Math.Exp(Sigma * random.NextGaussian());
                return Math.Clamp((long)v, Min, B);
        }
    }
}
