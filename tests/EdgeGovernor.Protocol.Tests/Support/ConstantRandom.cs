using EdgeGovernor.Protocol;

namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>Returns the same uniform draw every time and counts the draws (backoffs become predictable).</summary>
internal sealed class ConstantRandom(double value) : IRandomSource
{
    public int Draws { get; private set; }

    public double NextDouble()
    {
        Draws++;
        return value;
    }

    public ulong NextUInt64()
    {
        Draws++;
        return (ulong)(value * ulong.MaxValue);
    }
}
