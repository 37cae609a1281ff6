using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Policy.Planning;

/// <summary>
/// What deferrable work costs in an interval where the rack budget binds: the interactive work it displaces. Under
/// the budget every watt a deferrable slot (or an idle or booting server) draws is taken from the interactive
/// servers' water-filling (<see cref="CapAllocator"/>), whose least valuable segments go first. This class holds the
/// rack's interactive supply curve (its segments, most valuable per watt first) and prices a band of power at the
/// value those segments lose above the energy price. Allocation-free after construction.
/// </summary>
/// <remarks>
/// <see cref="Build"/> takes the rack as it is now (who is up, the interactive demand in force: a persistence
/// forecast) and <see cref="ExtraEurPerWh"/> prices one interval: with <c>h</c> watts left for interactive work above
/// every floor and the other deferrable work, drawing <c>w</c> more watts loses
/// <c>∫_{h-w}^{h} max(0, density(x) - price) dx</c> (density of the supply curve at cumulative watts <c>x</c>); it is
/// returned per watt of the band, to be added to the energy price of the interval. Where the floors alone break the
/// budget (<c>x &lt; 0</c>) the most valuable density is used.
/// </remarks>
public sealed class CongestionForecast
{
    private readonly CapAllocator.Segment[] _segments;
    private readonly double[] _end;
    private int _count;

    /// <summary>Creates a forecast for up to <paramref name="servers"/> servers.</summary>
    public CongestionForecast(int servers)
    {
        _segments = new CapAllocator.Segment[servers * (PowerCurve.PointCount + 2)];
        _end = new double[_segments.Length];
    }

    /// <summary>Power of every floor (W): interactive servers at their least work, deferrable servers idle, from the last <see cref="Build"/>.</summary>
    public double FloorWatts { get; private set; }

    /// <summary>Builds the supply curve of the servers that are up, at their demand now (NaN demand: full, as the governor reads it).</summary>
    public void Build(RackSpec rack, ReadOnlySpan<ServerState> servers)
    {
        int n = 0;
        double floor = 0;
        for (int i = 0; i < servers.Length && i < rack.Servers.Count; i++)
        {
            ServerState st = servers[i];
            if (!st.PoweredOn)
            {
                continue;
            }

            ServerEconomics e = rack.Economics(i);
            if (e.Class.Deferrable)
            {
                floor += e.IdleWatts;
                continue;
            }

            (double lo, double hi) = e.InteractiveRange(double.IsFinite(st.Demand) ? Math.Clamp(st.Demand, 0, 1) : 1);
            floor += e.PowerForWork(lo);
            n = CapAllocator.AddSegments(e, lo, hi, i, _segments, n);
        }

        Span<CapAllocator.Segment> segs = _segments.AsSpan(0, n);
        CapAllocator.HeapSortDescending(segs);
        double x = 0;
        for (int k = 0; k < n; k++)
        {
            x += segs[k].Watts;
            _end[k] = x;
        }

        _count = n;
        FloorWatts = floor;
    }

    /// <summary>
    /// Extra price per Wh (on top of <paramref name="eurPerWh"/>) of drawing <paramref name="watts"/> more when
    /// <paramref name="headroomWatts"/> are left for interactive work above the floors: the displaced interactive value
    /// per watt of the band, 0 where the band lies above what interactive work wants at this price.
    /// </summary>
    public double ExtraEurPerWh(double eurPerWh, double headroomWatts, double watts)
    {
        if (!(watts > 0) || _count == 0)
        {
            return 0;
        }

        double from = headroomWatts - watts;
        double lost = 0;
        if (from < 0)
        {
            // The floors do not fit: the band below zero displaces at least the most valuable (finite) interactive work.
            int top = 0;
            while (top < _count - 1 && !double.IsFinite(_segments[top].Density))
            {
                top++;
            }

            double density = _segments[top].Density;
            lost += Math.Min(-from, watts) * (double.IsFinite(density) ? Math.Max(0, density - eurPerWh) : 0);
            from = 0;
        }

        // First segment that ends above the band's start (binary search on the cumulative ends).
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_end[mid] > from)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        double start = lo > 0 ? _end[lo - 1] : 0;
        for (int k = lo; k < _count && start < headroomWatts; k++)
        {
            double end = _end[k];
            double density = _segments[k].Density;
            if (density <= eurPerWh)
            {
                break;
            }

            double overlap = Math.Min(end, headroomWatts) - Math.Max(start, from);
            if (overlap > 0 && double.IsFinite(density))
            {
                lost += overlap * (density - eurPerWh);
            }

            start = end;
        }

        return lost / watts;
    }
}
