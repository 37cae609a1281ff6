namespace EdgeGovernor.Firmware.Observability;

/// <summary>
/// Exceptions caught while handling one outside input (a datagram, a feed record, an HTTP request), by the boundary
/// that caught them: the input is dropped, the fault counted (<c>edgegov_handler_faults_total{where}</c>) and logged
/// with what was being handled, and the node carries on. Thread-safe (the loop and the HTTP threads record here).
/// Logging is bounded: the first <see cref="LoggedInFull"/> faults of a boundary get a line each, later ones one line
/// per <see cref="LogEvery"/>.
/// </summary>
internal sealed class HandlerFaults(Logger log)
{
    /// <summary>Faults of one boundary logged one line each before the log thins out.</summary>
    public const long LoggedInFull = 10;

    /// <summary>After <see cref="LoggedInFull"/>, one line per this many faults.</summary>
    public const long LogEvery = 1000;

    private long _datagram;
    private long _feed;
    private long _http;

    /// <summary>Faults while handling a received datagram.</summary>
    public long Datagram => Interlocked.Read(ref _datagram);

    /// <summary>Faults while handling a feed record.</summary>
    public long Feed => Interlocked.Read(ref _feed);

    /// <summary>Faults while handling an HTTP request.</summary>
    public long Http => Interlocked.Read(ref _http);

    /// <summary>A datagram of message type <paramref name="messageType"/> could not be handled.</summary>
    public void RecordDatagram(string messageType, Exception e) => Record(ref _datagram, "datagram", messageType, e);

    /// <summary>A feed record (<paramref name="what"/>) could not be handled.</summary>
    public void RecordFeed(string what, Exception e) => Record(ref _feed, "feed", what, e);

    /// <summary>An HTTP request (<paramref name="what"/>: the path) could not be handled.</summary>
    public void RecordHttp(string what, Exception e) => Record(ref _http, "http", what, e);

    private void Record(ref long counter, string where, string what, Exception e)
    {
        long n = Interlocked.Increment(ref counter);
        if (n <= LoggedInFull || n % LogEvery == 0)
        {
            log.Error($"{where}: dropped {what} after {e.GetType().Name}: {e.Message} ({n} {where} fault(s) so far)");
        }
    }
}
