namespace EdgeGovernor.Policy.Simulation;

/// <summary>Interval-by-interval record of a run, for plots.</summary>
public sealed class HourTrace
{
    /// <summary>Creates an empty trace of <paramref name="intervals"/> intervals.</summary>
    public HourTrace(int intervals)
    {
        RackWatts = new double[intervals];
        CumulativeNetEur = new double[intervals];
    }

    /// <summary>Rack power per interval (W, fans included).</summary>
    public double[] RackWatts { get; }

    /// <summary>Net value accumulated up to the end of each interval (in the run's currency).</summary>
    public double[] CumulativeNetEur { get; }
}
