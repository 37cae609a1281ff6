using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The price in force and the prices of the coming hours, read from this node's replicated price log. Sans-IO:
/// the caller passes the log and the time; allocation-free after construction.
/// <para>
/// <see cref="Refresh"/> looks at the record in force (the newest record covering now) and says whether a new price
/// is to be applied (<see cref="PriceChange.Applied"/>) or the last one was lost (<see cref="PriceChange.Lost"/>): a new
/// term's first record re-announcing the same interval and price is not a new price. <see cref="NextCheckUs"/> is the
/// moment the record in force expires (the next one may already be held). <see cref="Upcoming"/> is the forecast
/// the governor plans with: entry t is market hour <c>hour + t</c>, NaN where no record covers it.
/// </para>
/// </summary>
public sealed class PriceSchedule
{
    private readonly MarketClock _market;
    private readonly double[] _upcoming;
    private long _upcomingHour = long.MinValue;
    private bool _upcomingDirty = true;
    private PriceRecord _applied;

    /// <summary>Creates a schedule reading interval times on <paramref name="market"/>, forecasting <paramref name="hoursAhead"/> hours (the current one included).</summary>
    public PriceSchedule(MarketClock market, int hoursAhead)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentOutOfRangeException.ThrowIfLessThan(hoursAhead, 1);
        _market = market;
        _upcoming = new double[hoursAhead];
    }

    /// <summary>True when a record covers the time of the last <see cref="Refresh"/>.</summary>
    public bool Fresh { get; private set; }

    /// <summary>The record in force at the last <see cref="Refresh"/>, or the one that expired last (default when none).</summary>
    public PriceRecord InForce { get; private set; }

    /// <summary>Why no price is in force: <see cref="PriceStatus.Stale"/> (expired) or <see cref="PriceStatus.None"/>; <see cref="PriceStatus.Fresh"/> otherwise.</summary>
    public PriceStatus Status { get; private set; }

    /// <summary>Distinct prices applied so far.</summary>
    public long Applied { get; private set; }

    /// <summary>The price to apply, ct/kWh: the one in force, NaN when none is (the safe policy holds).</summary>
    public double PriceCtPerKwh => Fresh ? InForce.CentsPerKWh : double.NaN;

    /// <summary>True when a record arrived or the coordinator changed since the last <see cref="Refresh"/>.</summary>
    public bool IsDirty { get; private set; } = true;

    /// <summary>When to refresh again without news: the end of the record in force (monotonic µs); <see cref="long.MaxValue"/> when none is.</summary>
    public long NextCheckUs { get; private set; } = long.MaxValue;

    /// <summary>Hours after the current one, without a gap, for which <see cref="Upcoming"/> holds a price.</summary>
    public int UpcomingHours { get; private set; }

    /// <summary>A record entered the log: the price in force and the forecast are looked at again.</summary>
    public void RecordHeld()
    {
        IsDirty = true;
        _upcomingDirty = true;
    }

    /// <summary>The coordinator changed: the price in force is looked at again.</summary>
    public void LeadershipChanged() => IsDirty = true;

    /// <summary>This node appended a record as coordinator: the forecast is built again.</summary>
    public void Published() => _upcomingDirty = true;

    /// <summary>Looks at the price in force at <paramref name="nowMs"/> (Unix ms; <paramref name="nowUs"/> is the same instant on the monotonic clock).</summary>
    public PriceChange Refresh(PriceLog log, long nowUs, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(log);
        IsDirty = false;
        PriceStatus status = log.GetPriceInForce(nowMs, out PriceRecord record);
        bool fresh = status == PriceStatus.Fresh;
        PriceChange change = PriceChange.None;
        // A new term's first record re-announces the price in force (same interval, same price): that is
        // not a new price to apply. A different interval, or a corrected price for it, is.
        if (fresh && (!Fresh || record.IntervalStartMs != _applied.IntervalStartMs || record.IntervalEndMs != _applied.IntervalEndMs || record.PriceE4 != _applied.PriceE4))
        {
            _applied = record;
            Applied++;
            change = PriceChange.Applied;
        }
        else if (!fresh && Fresh)
        {
            change = PriceChange.Lost;
        }
        Fresh = fresh;
        Status = status;
        InForce = record;
        // Look again the moment the record in force expires (the next one may already be held).
        NextCheckUs = fresh ? nowUs + Math.Max(0, (record.IntervalEndMs - nowMs) * 1000) : long.MaxValue;
        return change;
    }

    /// <summary>Seconds since the last price expired at <paramref name="nowMs"/> (0 while fresh or before any price).</summary>
    public double StalenessSeconds(long nowMs) =>
        Fresh || InForce.IntervalEndMs == 0 ? 0 : Math.Max(0, (nowMs - InForce.IntervalEndMs) / 1000.0);

    /// <summary>
    /// The prices held for market hour <paramref name="hour"/> (hours since 0001-01-01) and the hours after it, at
    /// <paramref name="nowMs"/>: built again only when the hour changed or a record arrived. The newest record for an
    /// interval wins, as in <see cref="PriceLog.GetPriceInForce"/>; expired records are ignored. A forecast for the
    /// governor's plans only: the price applied is still the one in force, applied when its interval starts.
    /// </summary>
    public ReadOnlySpan<double> Upcoming(PriceLog log, long hour, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (hour != _upcomingHour || _upcomingDirty)
        {
            _upcomingHour = hour;
            _upcomingDirty = false;
            Fill(log, hour, nowMs);
        }
        return _upcoming;
    }

    private void Fill(PriceLog log, long hour, long nowMs)
    {
        Array.Fill(_upcoming, double.NaN);
        for (ulong i = log.LastIndex; i >= log.FirstIndex && i != 0; i--)
        {
            if (!log.TryGet(i, out PriceRecord r) || r.IsNoOp || r.IntervalEndMs <= nowMs)
            {
                continue;
            }
            // Hours of market time the interval covers (rounded: wall milliseconds blur the market's hour edges);
            // a sub-hour interval counts for the hour it lies in.
            long first = RoundToHour(_market.At(r.IntervalStartMs)) - hour;
            long end = RoundToHour(_market.At(r.IntervalEndMs)) - hour;
            if (end <= first)
            {
                first = (_market.At((r.IntervalStartMs + r.IntervalEndMs) / 2).Ticks / TimeSpan.TicksPerHour) - hour;
                end = first + 1;
            }
            for (long t = Math.Max(0, first); t < end && t < _upcoming.Length; t++)
            {
                if (double.IsNaN(_upcoming[t]))
                {
                    _upcoming[t] = r.CentsPerKWh;
                }
            }
        }
        UpcomingHours = 0;
        while (UpcomingHours + 1 < _upcoming.Length && !double.IsNaN(_upcoming[UpcomingHours + 1]))
        {
            UpcomingHours++;
        }
    }

    private static long RoundToHour(DateTime market) => (market.Ticks + (TimeSpan.TicksPerHour / 2)) / TimeSpan.TicksPerHour;
}
