namespace EdgeGovernor.Firmware.Feeds;

/// <summary>
/// A source of prices, polled by the coordinator only. A poll returns the validated quote whose
/// interval covers <c>marketNow</c>, or null when the feed has none (outage, gap, rejected record):
/// the last published record then stays in force until it expires.
/// </summary>
internal interface IPriceFeed : IDisposable
{
    /// <summary>Short name for logs and metrics (<c>synthetic</c>, <c>csv</c>, <c>http</c>).</summary>
    string Name { get; }

    /// <summary>
    /// True when the feed knows future intervals (a replayed file, the synthetic profile): the poller then also asks
    /// for every interval that starts within the publication horizon, as a day-ahead market announces tomorrow's
    /// prices. False (an HTTP endpoint): one request per poll, for the interval in force.
    /// </summary>
    bool KnowsDayAhead { get; }

    /// <summary>Wire id of the feed's records (<see cref="EdgeGovernor.Protocol.Cluster.PriceRecord.Source"/>): 1 synthetic, 2 csv, 3 http.</summary>
    ushort SourceId { get; }

    /// <summary>Fetches the price in force at <paramref name="marketNow"/>.</summary>
    ValueTask<PriceQuote?> PollAsync(DateTime marketNow, CancellationToken cancellationToken);

    /// <summary>
    /// The price of a later interval, asked for by a day-ahead poll right after <see cref="PollAsync"/> for now: the
    /// same by default; a feed that schedules its requests by the time it is polled at (entsoe) answers from what it holds.
    /// </summary>
    ValueTask<PriceQuote?> LookAheadAsync(DateTime marketTime, CancellationToken cancellationToken) => PollAsync(marketTime, cancellationToken);
}
