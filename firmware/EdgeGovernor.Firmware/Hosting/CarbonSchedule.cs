using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Feeds.Carbon;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The grid's carbon intensity by wall time (Unix ms): the readings of this node's carbon source (a replayed CSV series,
/// or an HTTP feed's readings as they arrive), sorted, at most <see cref="Capacity"/> of them; the oldest go first.
/// <see cref="IntensityAt"/> is the intensity in force, the fixed default where no reading covers the time;
/// <see cref="Ahead"/> the series at the market interval. Lookups allocate nothing. Used on the agent loop's thread.
/// </summary>
internal sealed class CarbonSchedule
{
    private readonly long[] _start;
    private readonly long[] _end;
    private readonly double[] _kg;
    private int _count;

    /// <summary>Creates an empty schedule holding up to <paramref name="capacity"/> readings, <paramref name="defaultKgPerKwh"/> where none covers.</summary>
    public CarbonSchedule(double defaultKgPerKwh, int capacity = CarbonCsv.MaxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (!(defaultKgPerKwh >= 0) || !double.IsFinite(defaultKgPerKwh))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultKgPerKwh), defaultKgPerKwh, "must be a finite, non-negative intensity");
        }
        DefaultKgPerKwh = defaultKgPerKwh;
        _start = new long[capacity];
        _end = new long[capacity];
        _kg = new double[capacity];
    }

    /// <summary>The intensity where no reading covers the time (<c>carbon.defaultKgPerKwh</c>, 0.429).</summary>
    public double DefaultKgPerKwh { get; }

    /// <summary>Most readings held.</summary>
    public int Capacity => _start.Length;

    /// <summary>Readings held.</summary>
    public int Count => _count;

    /// <summary>Readings received (http) or loaded (csv) so far.</summary>
    public long Received { get; private set; }

    /// <summary>Fills the schedule with <paramref name="readings"/> (market time) through <paramref name="market"/>.</summary>
    public void Load(IEnumerable<CarbonReading> readings, MarketClock market)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(market);
        foreach (CarbonReading r in readings)
        {
            Add(market.UnixMsAt(r.Start), market.UnixMsAt(r.End), r.KgPerKwh);
        }
    }

    /// <summary>
    /// Holds the reading [<paramref name="startMs"/>, <paramref name="endMs"/>) at <paramref name="kgPerKwh"/>; a reading
    /// with the same start replaces the one held. False (nothing held) for an empty interval or an intensity that is not
    /// a finite non-negative number.
    /// </summary>
    public bool Add(long startMs, long endMs, double kgPerKwh)
    {
        if (endMs <= startMs || !double.IsFinite(kgPerKwh) || kgPerKwh < 0)
        {
            return false;
        }
        Received++;
        int i = UpperBound(startMs); // first index with start > startMs
        if (i > 0 && _start[i - 1] == startMs)
        {
            _end[i - 1] = endMs;
            _kg[i - 1] = kgPerKwh;
            return true;
        }
        if (_count == Capacity)
        {
            if (i == 0)
            {
                return false; // older than everything held in a full schedule
            }
            Shift(1, 0, _count - 1); // forget the oldest
            _count--;
            i--;
        }
        Shift(i, i + 1, _count - i);
        _start[i] = startMs;
        _end[i] = endMs;
        _kg[i] = kgPerKwh;
        _count++;
        return true;
    }

    /// <summary>True and the intensity (kg/kWh) of the newest-starting reading covering <paramref name="unixMs"/>; false when none does.</summary>
    public bool TryIntensityAt(long unixMs, out double kgPerKwh)
    {
        int i = UpperBound(unixMs) - 1;
        if (i >= 0 && unixMs < _end[i])
        {
            kgPerKwh = _kg[i];
            return true;
        }
        kgPerKwh = double.NaN;
        return false;
    }

    /// <summary>The intensity in force at <paramref name="unixMs"/>, kg CO2 per kWh: the reading covering it, else the default.</summary>
    public double IntensityAt(long unixMs) => TryIntensityAt(unixMs, out double kg) ? kg : DefaultKgPerKwh;

    /// <summary>
    /// Fills <paramref name="into"/> with the intensity at <paramref name="fromMs"/>, <paramref name="fromMs"/> + step, …
    /// (NaN where no reading covers); returns how many leading entries are known without a gap.
    /// </summary>
    public int Ahead(long fromMs, long stepMs, Span<double> into)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepMs, 1);
        int known = -1;
        for (int t = 0; t < into.Length; t++)
        {
            into[t] = TryIntensityAt(fromMs + (t * stepMs), out double kg) ? kg : double.NaN;
            if (known < 0 && double.IsNaN(into[t]))
            {
                known = t;
            }
        }
        return known < 0 ? into.Length : known;
    }

    private int UpperBound(long ms)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_start[mid] <= ms)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private void Shift(int from, int to, int length)
    {
        if (length <= 0)
        {
            return;
        }
        Array.Copy(_start, from, _start, to, length);
        Array.Copy(_end, from, _end, to, length);
        Array.Copy(_kg, from, _kg, to, length);
    }
}
