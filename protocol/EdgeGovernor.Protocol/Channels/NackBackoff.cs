namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// Randomized truncated-exponential feedback delay of NORM (RFC 5740, section 5.5.6) and Aeron's
/// OptimalMulticastDelayGenerator: with lambda = ln(groupSize) + 1 and u uniform in [0, 1),
/// delay = maxDelay / lambda * ln(u * (e^lambda - 1) + 1). Most receivers wait close to the maximum,
/// a few answer early; the early ones' NACK (or the repair it triggers) suppresses the rest, so the
/// expected number of NACKs per loss stays small as the group grows.
/// </summary>
public static class NackBackoff
{
    /// <summary>A delay in [0, <paramref name="maxDelayUs"/>] for a group of <paramref name="groupSize"/> receivers.</summary>
    public static long DelayUs(double uniform, long maxDelayUs, int groupSize)
    {
        if (maxDelayUs <= 0)
        {
            return 0;
        }

        double lambda = Math.Log(Math.Max(groupSize, 1)) + 1.0;
        double x = Math.Log((uniform * (Math.Exp(lambda) - 1.0)) + 1.0) / lambda;
        return (long)(Math.Clamp(x, 0.0, 1.0) * maxDelayUs);
    }
}
