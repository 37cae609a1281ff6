using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Feeds;

/// <summary>
/// Polls a supplier's or broker's HTTP endpoint that answers a JSON object such as
/// <c>{"price": 87.5, "start": "2024-06-01T13:00:00"}</c>. The price field (dotted paths such
/// as <c>data.price</c> reach into nested objects) and the optional interval-start field are
/// configurable, and so is the unit. Without a start field the interval is the one covering the
/// poll's market time. A start with a UTC offset (<c>2026-03-30T05:00:00+02:00</c>) is the instant it names
/// (03:00 UTC); one without is UTC. The http feed's market clock is UTC, so that instant is its market time.
/// Parsing (<see cref="TryParse"/>) is kept apart from the I/O. Every failure (HTTP error, not JSON, missing
/// field, out of bounds, an interval starting outside the plausibility window around the poll's time: by default 2 days
/// before to 8 days after, <see cref="PriceValidator.TryAcceptAt"/>) is a rejected record with a log line and a counter; the feed then returns null and the
/// last record stays in force until it expires. The whole response, headers and body, has one deadline (the
/// timeout): past it the request is cancelled and a <see cref="TimeoutException"/> thrown (the poller abandons
/// the poll and counts it).
/// </summary>
internal sealed class HttpJsonPriceFeed : IPriceFeed
{
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly string _priceField;
    private readonly string _startField;
    private readonly double _scale;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly PriceValidator _validator;
    private readonly Logger _log;

    /// <summary>Largest response body read, bytes.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Creates the feed.</summary>
    /// <param name="url">URL to GET.</param>
    /// <param name="priceField">Field (dotted path) holding the price.</param>
    /// <param name="startField">Field holding the interval start, or empty.</param>
    /// <param name="unit"><c>EUR/MWh</c> or <c>ct/kWh</c>.</param>
    /// <param name="interval">Interval length.</param>
    /// <param name="timeout">Deadline of one whole request (headers and body).</param>
    /// <param name="validator">Bounds and counters.</param>
    /// <param name="log">Log.</param>
    public HttpJsonPriceFeed(Uri url, string priceField, string startField, string unit, TimeSpan interval, TimeSpan timeout, PriceValidator validator, Logger log)
    {
        _url = url;
        _priceField = priceField;
        _startField = startField;
        _scale = unit switch
        {
            "EUR/MWh" => 0.1,
            "ct/kWh" => 1.0,
            _ => throw new ArgumentException($"unknown unit '{unit}'", nameof(unit)),
        };
        _interval = interval;
        _timeout = timeout;
        _validator = validator;
        _log = log;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc/>
    public string Name => "http";

    /// <inheritdoc/>
    public bool KnowsDayAhead => false;

    /// <inheritdoc/>
    public ushort SourceId => 3;

    /// <inheritdoc/>
    public async ValueTask<PriceQuote?> PollAsync(DateTime marketNow, CancellationToken cancellationToken)
    {
        byte[] body;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(_url, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return Reject(PriceRejection.Unavailable, $"HTTP {(int)response.StatusCode}");
            }
            if (response.Content.Headers.ContentLength > MaxBodyBytes)
            {
                return Reject(PriceRejection.Malformed, $"body larger than {MaxBodyBytes} bytes");
            }
            body = await HttpBody.ReadLimitedAsync(response.Content, MaxBodyBytes, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (deadline.IsCancellationRequested && e is OperationCanceledException or HttpRequestException or IOException)
        {
            throw new TimeoutException($"price feed {_url}: no complete answer within {_timeout.TotalMilliseconds:0} ms", e);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or InvalidDataException)
        {
            return Reject(PriceRejection.Unavailable, e.Message);
        }

        if (!TryParse(body, marketNow, out PriceQuote quote, out string? problem))
        {
            return Reject(PriceRejection.Malformed, problem!);
        }
        if (!_validator.TryAcceptAt(quote, marketNow, out PriceRejection reason))
        {
            _log.Warning(reason == PriceRejection.Implausible
                ? string.Create(CultureInfo.InvariantCulture, $"price feed {_url}: rejected: the interval starts at {quote.IntervalStart:yyyy-MM-ddTHH:mm:ssZ}, outside {_validator.PlausiblePast.TotalHours} h before to {_validator.PlausibleAhead.TotalHours} h after {marketNow:yyyy-MM-ddTHH:mm:ssZ}")
                : $"price feed {_url}: rejected: {CsvPriceFeed.Describe(reason, quote.CtPerKwh, _validator)}");
            return null;
        }
        return quote;
    }

    /// <summary>Parses a response body into a quote (no bounds check).</summary>
    public bool TryParse(ReadOnlySpan<byte> body, DateTime marketNow, out PriceQuote quote, out string? problem)
    {
        quote = default;
        if (!Utf8.IsValid(body))
        {
            // Utf8JsonReader leaves string contents unchecked; reading such a string later would throw.
            problem = "the body is not valid UTF-8";
            return false;
        }
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        JsonDocument document;
        try
        {
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            problem = "the body is not JSON";
            return false;
        }
        using (document)
        {
            if (!TryFind(document.RootElement, _priceField, out JsonElement priceElement))
            {
                problem = $"field '{_priceField}' is missing";
                return false;
            }
            double raw;
            if (priceElement.ValueKind == JsonValueKind.Number && priceElement.TryGetDouble(out double n))
            {
                raw = n;
            }
            else if (priceElement.ValueKind == JsonValueKind.String
                && double.TryParse(priceElement.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double s))
            {
                raw = s;
            }
            else
            {
                problem = $"field '{_priceField}' is not a number";
                return false;
            }

            DateTime start;
            if (_startField.Length > 0)
            {
                if (!TryFind(document.RootElement, _startField, out JsonElement startElement)
                    || startElement.ValueKind != JsonValueKind.String
                    || !DateTimeOffset.TryParse(startElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
                {
                    problem = $"field '{_startField}' is missing or not an ISO 8601 time";
                    return false;
                }
                start = DateTime.SpecifyKind(parsed.UtcDateTime, marketNow.Kind); // the instant, not the local reading
            }
            else
            {
                start = new DateTime(marketNow.Ticks / _interval.Ticks * _interval.Ticks, marketNow.Kind);
            }
            if (start > DateTime.MaxValue - _interval)
            {
                problem = $"field '{_startField}': the interval would end after year 9999";
                return false;
            }
            quote = new PriceQuote(start, start + _interval, raw * _scale);
            problem = null;
            return true;
        }
    }

    private static bool TryFind(JsonElement root, string dottedPath, out JsonElement value)
    {
        value = root;
        foreach (string part in dottedPath.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(part, out value))
            {
                return false;
            }
        }
        return true;
    }

    private PriceQuote? Reject(PriceRejection reason, string problem)
    {
        _validator.Count(reason);
        _log.Warning($"price feed {_url}: rejected: {problem}");
        return null;
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
