using System.Text;
using System.Text.Json;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// <c>/status</c> answers as <c>edgegov status</c> reads them: strict UTF-8 (a bad byte is refused, as the client refuses
/// it), then <see cref="StatusClient.PrintBody"/> (the source-generated node status, then the cluster view with missing
/// and null parts printed empty). Refusing prints an error and returns 1; throwing is a finding.
/// </summary>
internal sealed class StatusReplyTarget : IFuzzTarget
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Uri Url = new("http://127.0.0.1:9464/status");

    public string Name => "status";

    public string Description => "the status client's reply parser (StatusClient.PrintBody)";

    public void Run(ReadOnlySpan<byte> input)
    {
        string body;
        try
        {
            body = Strict.GetString(input);
        }
        catch (DecoderFallbackException)
        {
            return;
        }
        StatusClient.PrintBody(Url, body, json: false, TextWriter.Null, TextWriter.Null);
    }

    public IEnumerable<byte[]> Seeds()
    {
        var status = new NodeStatus
        {
            NodeId = 3,
            Incarnation = 1733470000,
            Role = "member",
            Term = 12,
            Coordinator = 1,
            UptimeSeconds = 3600.5,
            MarketTime = "2024-10-27T02:30:00",
            Members =
            [
                new MemberStatus { NodeId = 1, Alive = true, Voter = true, Endpoint = "10.0.0.1:47421" },
                new MemberStatus { NodeId = 2, Alive = false, Voter = true, Endpoint = "10.0.0.2:47421" },
            ],
            Price = new PriceView { Valid = true, CtPerKwh = 8.25, IntervalStart = "2024-10-27T02:00:00", IntervalEnd = "2024-10-27T03:00:00", Term = 12, Index = 40, Applied = 39, UpcomingHours = 21 },
            Rack = new RackStatus { PowerWatts = 4210.5, CapWatts = 5000, BudgetWatts = 6000, MaxTemperatureC = 61.5, ServersOn = 18, Servers = 20, EnvelopeActions = 4 },
            Accounting = new AccountingStatus { Kwh = 12.5, Eur = 1.03, KgCo2 = 4.4, PeakPriceCt = 31.2, CheapestPriceCt = -2.1 },
            Counters = new Dictionary<string, long> { ["rx_datagrams"] = 1234, ["auth_failures"] = 2, ["feed_rejected"] = 0 },
        };
        yield return JsonSerializer.SerializeToUtf8Bytes(status, StatusJsonContext.Default.NodeStatus);
        yield return """{"nodeId":3,"members":[null,{"nodeId":3,"alive":true,"voter":true,"endpoint":"10.0.0.3:7400"}],"rack":null,"accounting":null,"price":null}"""u8.ToArray();
        yield return """{"price":{"valid":false,"ctPerKwh":"NaN","safeReason":"no price"},"counters":{"a":-1}}"""u8.ToArray();
    }
}
