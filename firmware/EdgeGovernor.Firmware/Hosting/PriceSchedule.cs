using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The price in force and the prices of the coming market intervals, read from this node's replicated price log. Sans-IO:
/// the caller passes the log and the time; allocation-free after construction.
/// <para>
/// <see cref="Refresh"/> looks at the record in force (the newest record covering now) and says whether a new price
/// is to be applied (<see cref="PriceChange.Applied"/>) or the last one was lost (<see cref="PriceChange.Lost"/>): a new
/// term's first record re-announcing the same interval and price is not a new price. <see cref="NextCheckUs"/> is the
/// moment the record in force expires (the next one may already be held). <see cref="Upcoming"/> is the forecast
/// the governor plans with: entry t is market interval <c>interval + t</c> (at the market's interval, 60 minutes unless
/// given), NaN where no record covers it; a record longer than the interval (an hourly price in a 15-minute plan)
/// fills every interval it covers, a shorter one counts for the interval it lies in.
/// </para>
/// <para>
/// A record stays in force <c>timers.priceGraceMs</c> past its interval end when no newer one covers now. A record
/// whose interval the market clock cannot read (an end or start so far away that market time is not a date) or that
/// is longer than <see cref="MaxIntervalMs"/> is ignored everywhere (<see cref="Ignored"/> counts them): it can never
/// be in force, forecast or logged.
/// </para>
/// </summary>
internal sealed class PriceSchedule
{
    private readonly MarketClock _market;
    private readonly double[] _upcoming;
    private readonly long _graceMs;
    private readonly long _intervalTicks;
    private long _upcomingInterval = long.MinValue;
    private bool _upcomingDirty = true;
    private PriceRecord _applied;

    /// <summary>Longest interval a record may cover (wall milliseconds, 7 days); a longer one is ignored.</summary>
    public const long MaxIntervalMs = 7 * 24 * 3_600_000L;

    /// <summary>
    /// Creates a schedule reading interval times on <paramref name="market"/>, forecasting <paramref name="intervalsAhead"/>
    /// market intervals of <paramref name="intervalMinutes"/> (the current one included); a record stays in force
    /// <paramref name="graceMs"/> past its end (<c>timers.priceGraceMs</c>).
    /// </summary>
    public PriceSchedule(MarketClock market, int intervalsAhead, long graceMs = 0, int intervalMinutes = 60)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalsAhead, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(graceMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalMinutes, 1);
        _market = market;
        _upcoming = new double[intervalsAhead];
        _graceMs = graceMs;
        _intervalTicks = intervalMinutes * TimeSpan.TicksPerMinute;
    }

    /// <summary>Records held that were ignored as implausible (see <see cref="IsPlausible"/>).</summary>
    public long Ignored { get; private set; }

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

    /// <summary>Length of one market interval (ticks): the unit of <see cref="Upcoming"/>.</summary>
    public long IntervalTicks => _intervalTicks;

    /// <summary>Market intervals after the current one, without a gap, for which <see cref="Upcoming"/> holds a price.</summary>
    public int UpcomingIntervals { get; private set; }

    /// <summary>Whole hours <see cref="UpcomingIntervals"/> span (what <c>/status</c> shows).</summary>
    public int UpcomingHours => (int)(UpcomingIntervals * _intervalTicks / TimeSpan.TicksPerHour);

    /// <summary>A record entered the log: the price in force and the forecast are looked at again.</summary>
    public void RecordHeld()
    {
        IsDirty = true;
        _upcomingDirty = true;
    }

    /// <summary>
    /// <paramref name="record"/> entered the log: as <see cref="RecordHeld()"/>; false (and counted in
    /// <see cref="Ignored"/>) when the record is implausible and will be ignored.
    /// </summary>
    public bool RecordHeld(in PriceRecord record)
    {
        RecordHeld();
        if (record.IsNoOp || IsPlausible(record))
        {
            return true;
        }
        Ignored++;
        return false;
    }

    /// <summary>
    /// True when the market clock can read both ends of <paramref name="record"/>'s interval and the interval is at most
    /// <see cref="MaxIntervalMs"/> long. Checked arithmetic: any <see cref="long"/> values are safe to pass.
    /// </summary>
    public bool IsPlausible(in PriceRecord record) =>
        record.IntervalStartMs < record.IntervalEndMs
        && (double)record.IntervalEndMs - record.IntervalStartMs <= MaxIntervalMs
        && _market.TryAt(record.IntervalStartMs, out _)
        && _market.TryAt(record.IntervalEndMs, out _);

    /// <summary>The coordinator changed: the price in force is looked at again.</summary>
    public void LeadershipChanged() => IsDirty = true;

    /// <summary>This node appended a record as coordinator: the forecast is built again.</summary>
    public void Published() => _upcomingDirty = true;

    /// <summary>Looks at the price in force at <paramref name="nowMs"/> (Unix ms; <paramref name="nowUs"/> is the same instant on the monotonic clock).</summary>
    public PriceChange Refresh(PriceLog log, long nowUs, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(log);
        IsDirty = false;
        PriceStatus status = Find(log, nowMs, out PriceRecord record);
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
        // Look again the moment the record in force ends (the next one may already be held), or, within its grace, when
        // the grace runs out.
        long checkMs = record.IntervalEndMs > nowMs ? record.IntervalEndMs : ExpiresMs(record);
        long aheadMs = checkMs > nowMs ? SaturatingAdd(checkMs, -nowMs) : 0;
        NextCheckUs = fresh ? SaturatingAdd(nowUs, aheadMs > long.MaxValue / 1000 ? long.MaxValue : aheadMs * 1000) : long.MaxValue;
        return change;
    }

    // The record in force at nowMs: the newest plausible record covering it, else the newest one still within its grace
    // past the end; otherwise the one that expired last (Stale), or none (None). PriceLog.GetPriceInForce without the
    // implausible records and with the grace.
    private PriceStatus Find(PriceLog log, long nowMs, out PriceRecord record)
    {
        record = default;
        PriceRecord inGrace = default;
        bool haveGrace = false, haveExpired = false, haveAny = false;
        for (ulong i = log.LastIndex; i >= log.FirstIndex && i != 0; i--)
        {
            if (!log.TryGet(i, out PriceRecord r) || r.IsNoOp || !IsPlausible(r))
            {
                continue;
            }
            if (r.Covers(nowMs))
            {
                record = r;
                return PriceStatus.Fresh;
            }
            haveAny = true;
            if (r.IntervalEndMs <= nowMs)
            {
                if (!haveGrace && r.IntervalStartMs <= nowMs && nowMs < ExpiresMs(r))
                {
                    inGrace = r;
                    haveGrace = true;
                }
                if (!haveExpired || r.IntervalEndMs > record.IntervalEndMs)
                {
                    record = r;
                    haveExpired = true;
                }
            }
        }
        if (haveGrace)
        {
            record = inGrace;
            return PriceStatus.Fresh;
        }
        return haveAny ? PriceStatus.Stale : PriceStatus.None;
    }

    // When a record stops being in force: its end plus the grace.
    private long ExpiresMs(in PriceRecord record) => SaturatingAdd(record.IntervalEndMs, _graceMs);

    private static long SaturatingAdd(long a, long b) =>
        b > 0 && a > long.MaxValue - b ? long.MaxValue : b < 0 && a < long.MinValue - b ? long.MinValue : a + b;

    /// <summary>Seconds since the last price expired at <paramref name="nowMs"/> (0 while fresh or before any price).</summary>
    public double StalenessSeconds(long nowMs) =>
        Fresh || InForce.IntervalEndMs == 0 ? 0 : Math.Max(0, ((double)nowMs - ExpiresMs(InForce)) / 1000.0);

    /// <summary>
    /// The prices held for market interval <paramref name="interval"/> (intervals since 0001-01-01 of market time) and the
    /// intervals after it, at <paramref name="nowMs"/>: built again only when the interval changed or a record arrived. The newest record for an
    /// interval wins, as in <see cref="PriceLog.GetPriceInForce"/>; expired records are ignored. A forecast for the
    /// governor's plans only: the price applied is still the one in force, applied when its interval starts.
    /// </summary>
    public ReadOnlySpan<double> Upcoming(PriceLog log, long interval, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (interval != _upcomingInterval || _upcomingDirty)
        {
            _upcomingInterval = interval;
            _upcomingDirty = false;
            Fill(log, interval, nowMs);
        }
        return _upcoming;
    }

    private void Fill(PriceLog log, long interval, long nowMs)
    {
        Array.Fill(_upcoming, double.NaN);
        for (ulong i = log.LastIndex; i >= log.FirstIndex && i != 0; i--)
        {
            if (!log.TryGet(i, out PriceRecord r) || r.IsNoOp || r.IntervalEndMs <= nowMs || !IsPlausible(r))
            {
                continue;
            }
            // Market intervals the record covers (rounded: wall milliseconds blur the market's interval edges);
            // a record shorter than an interval counts for the interval it lies in.
            long first = RoundToInterval(_market.At(r.IntervalStartMs)) - interval;
            long end = RoundToInterval(_market.At(r.IntervalEndMs)) - interval;
            if (end <= first)
            {
                first = (_market.At((r.IntervalStartMs + r.IntervalEndMs) / 2).Ticks / _intervalTicks) - interval;
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
        UpcomingIntervals = 0;
        while (UpcomingIntervals + 1 < _upcoming.Length && !double.IsNaN(_upcoming[UpcomingIntervals + 1]))
        {
            UpcomingIntervals++;
        }
    }

    private long RoundToInterval(DateTime market) => (market.Ticks + (_intervalTicks / 2)) / _intervalTicks;
}
