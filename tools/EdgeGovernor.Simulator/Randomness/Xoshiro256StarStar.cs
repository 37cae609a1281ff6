namespace EdgeGovernor.Simulator.Randomness;

/// <summary>
/// xoshiro256** (Blackman and Vigna): a small, fast, seedable generator with a 2^256 - 1 period.
/// The simulator's only source of randomness; one instance per purpose (network, workload, each
/// node's protocol randomness), each derived from the run's seed with <see cref="Derive"/>, so
/// that adding a node or a fault does not shift the random numbers any other part sees.
/// </summary>
/// <remarks>A mutable struct: pass it by <c>ref</c> or keep it in a field, never copy it.</remarks>
public struct Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose state is expanded from <paramref name="seed"/> with SplitMix64.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
        if ((_s0 | _s1 | _s2 | _s3) == 0)
        {
            _s0 = 1; // the all-zero state is the one fixed point; SplitMix64 never yields it, but be explicit
        }
    }

    /// <summary>
    /// A generator for one purpose of one run: the same (seed, stream, index) always gives the same
    /// sequence, and different streams are statistically independent.
    /// </summary>
    public static Xoshiro256StarStar Derive(ulong seed, RandomStream stream, ulong index = 0)
    {
        ulong x = seed ^ 0x6A09E667F3BCC909UL;
        ulong a = SplitMix64(ref x);
        x = a ^ ((ulong)stream * 0x9E3779B97F4A7C15UL);
        ulong b = SplitMix64(ref x);
        x = b ^ (index * 0xD1B54A32D192ED03UL) ^ 0xBB67AE8584CAA73BUL;
        return new Xoshiro256StarStar(SplitMix64(ref x));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/> (never for p &lt;= 0, always for p &gt;= 1; draws nothing then).</summary>
    public bool Chance(double p)
    {
        if (p <= 0)
        {
            return false;
        }

        return p >= 1 || NextDouble() < p;
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's method).</summary>
    public ulong NextBounded(ulong bound)
    {
        if (bound == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "bound must be positive");
        }

        ulong x = NextUInt64();
        UInt128 m = (UInt128)x * bound;
        ulong low = (ulong)m;
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                x = NextUInt64();
                m = (UInt128)x * bound;
                low = (ulong)m;
            }
        }

        return (ulong)(m >> 64);
    }

    /// <summary>A uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    public long NextInt64(long minInclusive, long maxExclusive)
    {
        if (maxExclusive <= minInclusive)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), "empty range");
        }

        return minInclusive + (long)NextBounded((ulong)(maxExclusive - minInclusive));
    }

    /// <summary>A standard normal variate (Box-Muller, two uniforms per call).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: log is finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
