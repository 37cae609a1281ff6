namespace EdgeGovernor.Hal.Simulation;

/// <summary>
/// A server's wall power at active idle and at 10 %..100 % load (SPECpower_ssj2008 style), with linear
/// interpolation between the published points.
/// </summary>
public sealed class SpecPowerCurve
{
    /// <summary>Number of points: active idle, then 10 % steps to 100 %.</summary>
    public const int PointCount = 11;

    private readonly double[] _watts;

    /// <summary>Creates a curve; <paramref name="watts"/> holds <see cref="PointCount"/> non-decreasing positive values.</summary>
    public SpecPowerCurve(string server, string cpu, IReadOnlyList<double> watts)
    {
        ArgumentException.ThrowIfNullOrEmpty(server);
        ArgumentNullException.ThrowIfNull(watts);
        if (watts.Count != PointCount)
        {
            throw new ArgumentException($"a curve has {PointCount} points, got {watts.Count}", nameof(watts));
        }

        for (int i = 0; i < PointCount; i++)
        {
            if (!double.IsFinite(watts[i]) || watts[i] <= 0 || (i > 0 && watts[i] < watts[i - 1]))
            {
                throw new ArgumentException($"point {i} ({watts[i]} W) must be positive and not below the previous point", nameof(watts));
            }
        }

        Server = server;
        Cpu = cpu ?? string.Empty;
        _watts = [.. watts];
    }

    /// <summary>Server model.</summary>
    public string Server { get; }

    /// <summary>CPU, empty when not published.</summary>
    public string Cpu { get; }

    /// <summary>Server and CPU, for logs.</summary>
    public string DisplayName => Cpu.Length == 0 ? Server : $"{Server} ({Cpu})";

    /// <summary>Active idle power (0 % load).</summary>
    public double IdleWatts => _watts[0];

    /// <summary>Power at 100 % load.</summary>
    public double MaxWatts => _watts[PointCount - 1];

    /// <summary>The published points.</summary>
    public IReadOnlyList<double> Points => _watts;

    /// <summary>Power at <paramref name="utilization"/> (0..1, clamped).</summary>
    public double WattsAt(double utilization)
    {
        double x = Math.Clamp(double.IsNaN(utilization) ? 0 : utilization, 0, 1) * (PointCount - 1);
        int i = Math.Min((int)x, PointCount - 2);
        double f = x - i;
        return _watts[i] + ((_watts[i + 1] - _watts[i]) * f);
    }

    /// <summary>The highest utilization whose power does not exceed <paramref name="watts"/> (0 below idle, 1 above max).</summary>
    public double UtilizationAt(double watts)
    {
        if (watts <= _watts[0])
        {
            return 0;
        }

        for (int i = 1; i < PointCount; i++)
        {
            if (watts < _watts[i])
            {
                double span = _watts[i] - _watts[i - 1];
                double f = span <= 0 ? 0 : (watts - _watts[i - 1]) / span;
                return (i - 1 + f) / (PointCount - 1);
            }
        }

        return 1;
    }
}
