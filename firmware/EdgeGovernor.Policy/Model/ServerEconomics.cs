namespace EdgeGovernor.Policy.Model;

/// <summary>
/// The economics of one server running one job class, precomputed from its curve and class: how much
/// power a given amount of work needs, what a power cap lets it do, and the best operating point at a
/// given energy price. Work is measured as a fraction <c>x</c> of the server's full-load throughput.
/// </summary>
/// <remarks>
/// Power for work is piecewise linear and convex in <c>x</c>: the server's hull curve (see
/// <see cref="PowerCurve"/>) mapped through the class sensitivity <c>s</c> (<c>x = 1 - s + s*u</c>);
/// work up to <c>1 - s</c> needs no more than idle power. Its vertices are <see cref="VertexWork"/> /
/// <see cref="VertexWatts"/>, cut at the maximum cap.
/// </remarks>
public sealed class ServerEconomics
{
    private readonly double[] _x;
    private readonly double[] _w;

    /// <summary>Precomputes the economics of <paramref name="server"/> running <paramref name="jobClass"/>, planned at <paramref name="intervalMinutes"/>-minute intervals.</summary>
    public ServerEconomics(ServerSpec server, JobClass jobClass, int intervalMinutes = 60)
    {
        if (intervalMinutes is < 1 or > 60 || 60 % intervalMinutes != 0)
        {
            throw new ArgumentException($"interval must divide an hour, got {intervalMinutes} min");
        }

        Server = server;
        Class = jobClass;
        int perHour = 60 / intervalMinutes;
        IntervalHours = intervalMinutes / 60.0;
        IntervalsPerDay = 24 * perHour;
        MinOnIntervals = server.MinOnHours * perHour;
        MinOffIntervals = server.MinOffHours * perHour;
        JobSlots = jobClass.DailySlots * perHour;
        ReleaseIntervalOfDay = jobClass.ReleaseHourOfDay * perHour;
        DeadlineIntervalOfDay = jobClass.DeadlineHourOfDay * perHour;
        PowerCurve curve = server.Curve;
        double s = jobClass.Sensitivity;
        double capMax = Math.Min(server.CapMaxWatts, curve.MaxWatts);
        double uMax = curve.HullLoadAt(capMax);

        var xs = new List<double>(PowerCurve.PointCount + 2) { 0 };
        var ws = new List<double>(PowerCurve.PointCount + 2) { curve.IdleWatts };
        if (s < 1)
        {
            xs.Add(1 - s);
            ws.Add(curve.IdleWatts);
        }

        if (s > 0)
        {
            ReadOnlySpan<double> hl = curve.HullLoad;
            ReadOnlySpan<double> hw = curve.HullWatts;
            for (int k = 1; k < hl.Length && hl[k] < uMax; k++)
            {
                xs.Add(1 - s + (s * hl[k]));
                ws.Add(hw[k]);
            }

            if (uMax > 0)
            {
                xs.Add(1 - s + (s * uMax));
                ws.Add(curve.HullPower(uMax));
            }
        }

        _x = [.. xs];
        _w = [.. ws];
        MaxWork = _x[^1];
        WorkAtMinCap = WorkAtCap(server.CapMinWatts);
        IdleWatts = curve.IdleWatts;
        SlotWatts = _w[^1];
        SlotWork = server.ThroughputPerHour * MaxWork * IntervalHours;
        BootWatts = server.BootEnergyWh / IntervalHours;
        ValuePerFullHour = jobClass.ValuePerUnitEur * server.ThroughputPerHour;
    }

    /// <summary>The server.</summary>
    public ServerSpec Server { get; }

    /// <summary>The job class it runs.</summary>
    public JobClass Class { get; }

    /// <summary>Work fractions of the vertices of the power-for-work curve, ascending from 0.</summary>
    public ReadOnlySpan<double> VertexWork => _x;

    /// <summary>Watts at those vertices.</summary>
    public ReadOnlySpan<double> VertexWatts => _w;

    /// <summary>Work fraction reachable at the maximum cap.</summary>
    public double MaxWork { get; }

    /// <summary>Work fraction reachable at the minimum cap (the least a busy server does).</summary>
    public double WorkAtMinCap { get; }

    /// <summary>Power at active idle (W).</summary>
    public double IdleWatts { get; }

    /// <summary>Power while a deferrable job runs uncapped (W).</summary>
    public double SlotWatts { get; }

    /// <summary>Units of work one interval of deferrable running delivers.</summary>
    public double SlotWork { get; }

    /// <summary>Length of a planning interval (h).</summary>
    public double IntervalHours { get; }

    /// <summary>Intervals per day.</summary>
    public int IntervalsPerDay { get; }

    /// <summary>Intervals a server stays up after booting before it may be powered off.</summary>
    public int MinOnIntervals { get; }

    /// <summary>Intervals a server stays off before it may boot again.</summary>
    public int MinOffIntervals { get; }

    /// <summary>Deferrable: intervals of uncapped running one day's job needs.</summary>
    public int JobSlots { get; }

    /// <summary>Deferrable: interval of the day at which the job arrives.</summary>
    public int ReleaseIntervalOfDay { get; }

    /// <summary>Deferrable: interval of the day at whose start the job is due.</summary>
    public int DeadlineIntervalOfDay { get; }

    /// <summary>Value (EUR) of one hour of work at full throughput.</summary>
    public double ValuePerFullHour { get; }

    /// <summary>Average power of a boot interval (W): the boot energy spread over the interval.</summary>
    public double BootWatts { get; }

    /// <summary>Power needed for work fraction <paramref name="x"/> (W), on the convex curve.</summary>
    public double PowerForWork(double x)
    {
        if (x <= 0)
        {
            return _w[0];
        }

        for (int k = 1; k < _x.Length; k++)
        {
            if (x <= _x[k])
            {
                double f = (x - _x[k - 1]) / (_x[k] - _x[k - 1]);
                return _w[k - 1] + (f * (_w[k] - _w[k - 1]));
            }
        }

        return _w[^1];
    }

    /// <summary>Work fraction the server reaches under power cap <paramref name="capWatts"/> (clamped to the cap range).</summary>
    public double WorkAtCap(double capWatts)
    {
        double c = Math.Clamp(capWatts, Server.CapMinWatts, Server.CapMaxWatts);
        if (c >= _w[^1])
        {
            return _x[^1];
        }

        for (int k = _x.Length - 1; k >= 1; k--)
        {
            if (c >= _w[k - 1])
            {
                // Highest x with power <= c on segment k-1..k (flat segments give their right end).
                if (_w[k] <= _w[k - 1])
                {
                    return _x[k];
                }

                double f = (c - _w[k - 1]) / (_w[k] - _w[k - 1]);
                return _x[k - 1] + (f * (_x[k] - _x[k - 1]));
            }
        }

        return _x.Length > 1 && _w[1] <= _w[0] ? _x[1] : 0;
    }

    /// <summary>The cap (W) that lets the server do exactly work fraction <paramref name="x"/>, within the cap range.</summary>
    public double CapForWork(double x) => Math.Clamp(PowerForWork(x), Server.CapMinWatts, Server.CapMaxWatts);

    /// <summary>Work range [lo, hi] an interactive server with demand <paramref name="demand"/> can be held to by its cap.</summary>
    public (double Lo, double Hi) InteractiveRange(double demand)
    {
        double d = Math.Clamp(demand, 0, 1);
        return (Math.Min(d, WorkAtMinCap), Math.Min(d, MaxWork));
    }

    /// <summary>
    /// The best work fraction for an interactive server: maximises value of work minus
    /// <paramref name="eurPerWh"/> times power over the cap-reachable range. Exact: the objective is
    /// concave and piecewise linear, so a vertex or an end of the range is optimal.
    /// </summary>
    public double BestInteractiveWork(double demand, double eurPerWh, out double stageValue)
    {
        (double lo, double hi) = InteractiveRange(demand);
        double bestX = lo;
        double best = (ValuePerFullHour * lo) - (eurPerWh * PowerForWork(lo));
        for (int k = 0; k < _x.Length; k++)
        {
            double x = _x[k];
            if (x > lo && x < hi)
            {
                double v = (ValuePerFullHour * x) - (eurPerWh * _w[k]);
                if (v > best)
                {
                    best = v;
                    bestX = x;
                }
            }
        }

        double vh = (ValuePerFullHour * hi) - (eurPerWh * PowerForWork(hi));
        if (vh > best)
        {
            best = vh;
            bestX = hi;
        }

        stageValue = best;
        return bestX;
    }

    /// <summary>Power a server that is on draws for this class while idle or holding its least load (W), the envelope's floor.</summary>
    public double FloorWatts(double demand) =>
        Class.Deferrable ? IdleWatts : PowerForWork(InteractiveRange(demand).Lo);
}
