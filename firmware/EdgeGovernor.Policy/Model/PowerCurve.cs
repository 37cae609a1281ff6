namespace EdgeGovernor.Policy.Model;

/// <summary>
/// A server's wall power at active idle and at 10 %..100 % load, as published for SPECpower_ssj2008
/// (the columns <c>idle_w, load10_w .. load100_w</c> of <c>specpower_curves.csv</c>).
/// </summary>
/// <remarks>
/// The policy works on the lower convex hull of these eleven points. Published curves carry small
/// non-convexities (a few watts); a server that is asked for an average power between two hull
/// vertices reaches the hull by alternating between them within the control period, so the hull is
/// what the firmware can actually deliver, and it makes marginal value per watt monotone, which the
/// water-filling needs.
/// </remarks>
public sealed class PowerCurve
{
    /// <summary>Number of points: active idle, then 10 % .. 100 % load.</summary>
    public const int PointCount = 11;

    private readonly double[] _watts;
    private readonly double[] _hullLoad;
    private readonly double[] _hullWatts;

    /// <summary>Creates a curve from the eleven measured points (W).</summary>
    /// <exception cref="ArgumentException">Not eleven finite, positive, non-decreasing points, or flat.</exception>
    public PowerCurve(ReadOnlySpan<double> watts)
    {
        if (watts.Length != PointCount)
        {
            throw new ArgumentException($"a power curve needs {PointCount} points (idle, 10 %..100 %), got {watts.Length}", nameof(watts));
        }

        for (int i = 0; i < PointCount; i++)
        {
            if (!double.IsFinite(watts[i]) || watts[i] <= 0)
            {
                throw new ArgumentException($"power at point {i} must be a positive number of watts, got {watts[i]}", nameof(watts));
            }

            if (i > 0 && watts[i] < watts[i - 1])
            {
                throw new ArgumentException($"power must not fall with load: {watts[i]} W at {i * 10} % is below {watts[i - 1]} W", nameof(watts));
            }
        }

        if (watts[PointCount - 1] <= watts[0])
        {
            throw new ArgumentException("power at full load must exceed power at idle", nameof(watts));
        }

        _watts = watts.ToArray();

        // Lower convex hull (Andrew's monotone chain on points already sorted by load).
        Span<int> hull = stackalloc int[PointCount];
        int n = 0;
        for (int i = 0; i < PointCount; i++)
        {
            while (n >= 2 && Cross(hull[n - 2], hull[n - 1], i) <= 0)
            {
                n--;
            }

            hull[n++] = i;
        }

        _hullLoad = new double[n];
        _hullWatts = new double[n];
        for (int k = 0; k < n; k++)
        {
            _hullLoad[k] = hull[k] / 10.0;
            _hullWatts[k] = _watts[hull[k]];
        }
    }

    private double Cross(int a, int b, int c)
    {
        // z of (b - a) x (c - a) with load on x and watts on y; > 0 means a left (convex) turn.
        double abx = (b - a) / 10.0, aby = _watts[b] - _watts[a];
        double acx = (c - a) / 10.0, acy = _watts[c] - _watts[a];
        return (abx * acy) - (aby * acx);
    }

    /// <summary>Measured power at active idle (W).</summary>
    public double IdleWatts => _watts[0];

    /// <summary>Measured power at 100 % load (W).</summary>
    public double MaxWatts => _watts[PointCount - 1];

    /// <summary>The measured point at index <paramref name="i"/> (0 = idle, 10 = 100 %).</summary>
    public double this[int i] => _watts[i];

    /// <summary>Load levels (0..1) of the hull vertices, ascending.</summary>
    public ReadOnlySpan<double> HullLoad => _hullLoad;

    /// <summary>Watts at the hull vertices, ascending.</summary>
    public ReadOnlySpan<double> HullWatts => _hullWatts;

    /// <summary>Power on the convex hull at load <paramref name="load"/> (clamped to 0..1).</summary>
    public double HullPower(double load)
    {
        if (load <= 0)
        {
            return _hullWatts[0];
        }

        for (int k = 1; k < _hullLoad.Length; k++)
        {
            if (load <= _hullLoad[k])
            {
                double f = (load - _hullLoad[k - 1]) / (_hullLoad[k] - _hullLoad[k - 1]);
                return _hullWatts[k - 1] + (f * (_hullWatts[k] - _hullWatts[k - 1]));
            }
        }

        return _hullWatts[^1];
    }

    /// <summary>The highest load the hull reaches within <paramref name="watts"/> (0 below idle, 1 above full).</summary>
    public double HullLoadAt(double watts)
    {
        if (watts <= _hullWatts[0])
        {
            return 0;
        }

        for (int k = 1; k < _hullWatts.Length; k++)
        {
            if (watts <= _hullWatts[k])
            {
                double f = (watts - _hullWatts[k - 1]) / (_hullWatts[k] - _hullWatts[k - 1]);
                return _hullLoad[k - 1] + (f * (_hullLoad[k] - _hullLoad[k - 1]));
            }
        }

        return 1;
    }
}
