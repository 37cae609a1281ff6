namespace EdgeGovernor.Policy.Simulation;

/// <summary>Hour-by-hour record of a run, for plots.</summary>
public sealed class HourTrace
{
    /// <summary>Creates an empty trace of <paramref name="hours"/> hours.</summary>
    public HourTrace(int hours)
    {
        RackWatts = new double[hours];
        CumulativeNetEur = new double[hours];
    }

    /// <summary>Rack power per hour (W, fans included).</summary>
    public double[] RackWatts { get; }

    /// <summary>Net value accumulated up to the end of each hour (EUR).</summary>
    public double[] CumulativeNetEur { get; }
}
