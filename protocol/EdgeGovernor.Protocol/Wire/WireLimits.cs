namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The accepted ranges of the decoded fields that carry a meaning beyond their type (terms, log indexes, price interval
/// times). Checked where the field is decoded (the flyweights' <c>TryRead</c>, <see cref="SenderCheck"/>); a value outside
/// its range drops the datagram as <see cref="DropReason.MalformedPayload"/> (or <see cref="DropReason.InvalidHeader"/>
/// for the header's term). The full table per message is in protocol/README.md ("Field bounds").
/// </summary>
public static class WireLimits
{
    /// <summary>
    /// The highest term a node accepts or reaches (2^63 - 1, so a term always fits a signed 64-bit integer in logs, metrics
    /// and JSON). A node at this term refuses to stand for election (<c>TermGuard.TermExhausted</c>, kept by <c>ElectionState</c>).
    /// </summary>
    public const ulong MaxTerm = long.MaxValue;

    /// <summary>The highest price log index accepted on the wire (2^63 - 1); the log's own arithmetic never wraps below it.</summary>
    public const ulong MaxLogIndex = long.MaxValue;

    /// <summary>
    /// The highest channel sequence number accepted on the wire (2^63 - 1: multicast sequence, stable point, NACK first
    /// missing, unicast sequence and acknowledgement, heartbeat highest and reports). A sender numbers from 1 per
    /// incarnation and never gets near it; below it, sequence + window or + 64 cannot wrap.
    /// </summary>
    public const ulong MaxSequence = long.MaxValue;

    /// <summary>The earliest accepted interval start of a price record: 2000-01-01T00:00:00Z in unix milliseconds.</summary>
    public const long MinIntervalMs = 946_684_800_000;

    /// <summary>The latest accepted interval end of a price record: 2200-01-01T00:00:00Z in unix milliseconds.</summary>
    public const long MaxIntervalMs = 7_258_118_400_000;

    /// <summary>The longest accepted price interval: 7 days in milliseconds.</summary>
    public const long MaxIntervalLengthMs = 7L * 24 * 3600 * 1000;

    /// <summary>True when <paramref name="term"/> is a term a datagram may carry (1..<see cref="MaxTerm"/>).</summary>
    public static bool IsValidTerm(ulong term) => term is >= 1 and <= MaxTerm;

    /// <summary>
    /// True for a plausible price interval: <see cref="MinIntervalMs"/> &lt;= start &lt; end &lt;= <see cref="MaxIntervalMs"/>
    /// and end - start &lt;= <see cref="MaxIntervalLengthMs"/> (no arithmetic can overflow on such values).
    /// </summary>
    public static bool IsPlausibleInterval(long startMs, long endMs) =>
        startMs >= MinIntervalMs && endMs <= MaxIntervalMs && startMs < endMs && endMs - startMs <= MaxIntervalLengthMs;
}
