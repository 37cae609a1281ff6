using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Policy.Planning;

/// <summary>
/// Rack-wide water-filling of interactive power caps: every server gets the cap where the marginal value of
/// its work per watt equals the energy price plus one shared shadow price, the shadow price being the
/// smallest that keeps the sum within the budget. Exact for the model (concave piecewise-linear value
/// per server, one linear constraint: a fractional knapsack over curve segments). Allocation-free after
/// construction.
/// </summary>
public sealed class CapAllocator
{
    private readonly Segment[] _segments;

    /// <summary>Creates an allocator for up to <paramref name="servers"/> servers.</summary>
    public CapAllocator(int servers)
    {
        _segments = new Segment[servers * (PowerCurve.PointCount + 2)];
    }

    /// <summary>
    /// Allocates work (and so power) above each server's floor. On entry <paramref name="work"/>[i] holds the
    /// floor work fraction (<c>lo</c>) of server i and <paramref name="hi"/>[i] its ceiling; servers with
    /// <c>hi &lt;= lo</c> take no part. On return <paramref name="work"/> holds the allocation.
    /// </summary>
    /// <param name="economics">Economics per server (null entries take no part).</param>
    /// <param name="work">Floor in, allocation out.</param>
    /// <param name="hi">Ceiling per server.</param>
    /// <param name="eurPerWh">Energy price per Wh of IT energy; segments worth no more than this are not taken.</param>
    /// <param name="headroomWatts">Budget left above the floors (W).</param>
    /// <param name="shadowEurPerWh">Shadow price of the budget (EUR/Wh), 0 if it does not bind.</param>
    /// <returns>Watts allocated above the floors.</returns>
    public double Allocate(
        ReadOnlySpan<ServerEconomics?> economics,
        Span<double> work,
        ReadOnlySpan<double> hi,
        double eurPerWh,
        double headroomWatts,
        out double shadowEurPerWh)
    {
        int n = 0;
        for (int i = 0; i < economics.Length; i++)
        {
            ServerEconomics? e = economics[i];
            if (e is not null)
            {
                n = AddSegments(e, work[i], hi[i], i, _segments, n);
            }
        }

        Span<Segment> segs = _segments.AsSpan(0, n);
        HeapSortDescending(segs);
        double left = Math.Max(0, headroomWatts);
        double used = 0;
        shadowEurPerWh = 0;
        foreach (ref readonly Segment s in segs)
        {
            if (s.Density <= eurPerWh)
            {
                break;
            }

            if (s.Watts <= left)
            {
                work[s.Server] += s.Work;
                left -= s.Watts;
                used += s.Watts;
                continue;
            }

            double f = left / s.Watts;
            work[s.Server] += s.Work * f;
            used += left;
            shadowEurPerWh = s.Density - eurPerWh;
            break;
        }

        return used;
    }

    /// <summary>
    /// Appends at <paramref name="n"/> the curve segments of server <paramref name="server"/> between work fractions
    /// <paramref name="lo"/> and <paramref name="hi"/> (none if <c>hi &lt;= lo</c>): their value per watt, watts and work.
    /// Returns the new count.
    /// </summary>
    internal static int AddSegments(ServerEconomics e, double lo, double hi, int server, Span<Segment> segments, int n)
    {
        if (hi <= lo)
        {
            return n;
        }

        ReadOnlySpan<double> xs = e.VertexWork;
        double prevX = lo;
        double prevW = e.PowerForWork(lo);
        for (int k = 0; k <= xs.Length; k++)
        {
            double x = k < xs.Length ? Math.Min(xs[k], hi) : hi;
            if (x <= prevX)
            {
                continue;
            }

            double w = e.PowerForWork(x);
            double dw = w - prevW;
            double value = e.ValuePerFullHour * (x - prevX);
            segments[n++] = new Segment(dw <= 0 ? double.PositiveInfinity : value / dw, Math.Max(0, dw), x - prevX, server);
            prevX = x;
            prevW = w;
            if (x >= hi)
            {
                break;
            }
        }

        return n;
    }

    /// <summary>One linear piece of a server's power-for-work curve: value of its work per watt, its watts and its work.</summary>
    internal readonly record struct Segment(double Density, double Watts, double Work, int Server);

    /// <summary>In-place heap sort by density, highest first (ties: lower server first). Span.Sort with a
    /// comparer allocates a delegate; this does not.</summary>
    internal static void HeapSortDescending(Span<Segment> a)
    {
        // A min-heap on (density, -server) leaves the array in descending order after extraction.
        for (int i = (a.Length / 2) - 1; i >= 0; i--)
        {
            SiftDown(a, i, a.Length);
        }

        for (int end = a.Length - 1; end > 0; end--)
        {
            (a[0], a[end]) = (a[end], a[0]);
            SiftDown(a, 0, end);
        }
    }

    private static void SiftDown(Span<Segment> a, int root, int length)
    {
        while (true)
        {
            int child = (2 * root) + 1;
            if (child >= length)
            {
                return;
            }

            if (child + 1 < length && Before(a[child + 1], a[child]))
            {
                child++;
            }

            if (!Before(a[child], a[root]))
            {
                return;
            }

            (a[root], a[child]) = (a[child], a[root]);
            root = child;
        }
    }

    // Heap order: the element that must end up last in the descending result comes first.
    private static bool Before(in Segment x, in Segment y) =>
        x.Density < y.Density || (x.Density == y.Density && x.Server > y.Server);
}
