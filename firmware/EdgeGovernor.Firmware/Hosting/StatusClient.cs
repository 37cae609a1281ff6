using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeGovernor.Firmware.Cli;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// <c>edgegov status</c>: fetches <c>/status</c> from a running node and prints the cluster view. The answer is an
/// outside input: its body is read up to <see cref="MaxBodyBytes"/> (a larger one is refused with a clear error), and
/// a document with missing or null parts (<c>{"price":null}</c>, <c>{"members":[null]}</c>) prints with those parts empty.
/// </summary>
internal static class StatusClient
{
    /// <summary>Largest <c>/status</c> body read, bytes.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Fetches and prints; 0 on success, 1 when the node cannot be reached or answers garbage.</summary>
    public static int Print(StatusCommand command, TextWriter stdout, TextWriter stderr)
    {
        string body;
        string? token = null;
        if (command.TokenFile is not null)
        {
            var errors = new List<Configuration.ConfigError>();
            token = Configuration.SecretFile.Read(command.TokenFile, "token file", "--token-file", errors)?.Trim();
            if (token is null || token.Length == 0)
            {
                stderr.WriteLine($"edgegov: {(errors.Count > 0 ? errors[0].Reason : $"token file '{command.TokenFile}' is empty")}");
                return Program.ExitUsage;
            }
        }
        try
        {
            // One 5 s deadline for the whole answer, headers and body.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
            if (token is not null)
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }
            using HttpResponseMessage response = http.GetAsync(command.Url, HttpCompletionOption.ResponseHeadersRead, deadline.Token).GetAwaiter().GetResult();
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                stderr.WriteLine($"edgegov: {command.Url} answered HTTP 401: the node wants credentials (give --token-file with its observability.httpBearerTokenFile)");
                return Program.ExitFailure;
            }
            if (!response.IsSuccessStatusCode)
            {
                stderr.WriteLine($"edgegov: {command.Url} answered HTTP {(int)response.StatusCode}");
                return Program.ExitFailure;
            }
            if (!TryReadBody(response.Content, deadline.Token, out body))
            {
                stderr.WriteLine($"edgegov: {command.Url} answered more than {MaxBodyBytes / 1024} KiB; a node status is far smaller (is this an edgegov node?)");
                return Program.ExitFailure;
            }
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine($"edgegov: {command.Url} sent no complete answer within 5 s");
            return Program.ExitFailure;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or DecoderFallbackException)
        {
            stderr.WriteLine($"edgegov: cannot reach {command.Url}: {ErrorText.Describe(e)} (is 'edgegov run' running, and observability.httpPort set?)");
            return Program.ExitFailure;
        }
        return PrintBody(command.Url, body, command.Json, stdout, stderr);
    }

    /// <summary>Prints the <c>/status</c> answer <paramref name="body"/> of <paramref name="url"/>: as is when <paramref name="json"/>,
    /// else as the cluster view; 0, or 1 when the body is not a node status.</summary>
    internal static int PrintBody(Uri url, string body, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (json)
        {
            stdout.WriteLine(body);
            return Program.ExitOk;
        }
        NodeStatus? status;
        try
        {
            status = JsonSerializer.Deserialize(body, StatusJsonContext.Default.NodeStatus);
        }
        catch (JsonException e)
        {
            stderr.WriteLine($"edgegov: {url} did not answer a node status: {e.Message}");
            return Program.ExitFailure;
        }
        if (status is null)
        {
            stderr.WriteLine($"edgegov: {url} answered an empty status");
            return Program.ExitFailure;
        }
        stdout.Write(Format(status));
        return Program.ExitOk;
    }

    // Reads at most MaxBodyBytes; false when the body is larger.
    private static bool TryReadBody(HttpContent content, CancellationToken cancellationToken, out string body)
    {
        body = "";
        if (content.Headers.ContentLength > MaxBodyBytes)
        {
            return false;
        }
        using Stream stream = content.ReadAsStream(cancellationToken);
        byte[] buffer = new byte[MaxBodyBytes + 1];
        int filled = 0;
        int n;
        while (filled < buffer.Length && (n = stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).AsTask().GetAwaiter().GetResult()) > 0)
        {
            filled += n;
        }
        if (filled > MaxBodyBytes)
        {
            return false;
        }
        body = new UTF8Encoding(false, true).GetString(buffer, 0, filled);
        return true;
    }

    /// <summary>The human-readable cluster view; parts the document left out or set to null print empty.</summary>
    public static string Format(NodeStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        s.Price ??= new PriceView();
        s.Rack ??= new RackStatus();
        s.Accounting ??= new AccountingStatus();
        s.Market ??= new MarketIntervalStatus();
        s.Members ??= [];
        var b = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        b.Append(c, $"node {s.NodeId} ({s.Role}), term {s.Term}, coordinator {(s.Coordinator == 0 ? "none" : s.Coordinator.ToString(c))}, up {s.UptimeSeconds:0}s\n");
        b.Append(c, $"market time {s.MarketTime}\n");
        b.Append(c, $"market interval {s.Market.IntervalMinutes} min, current from {(s.Market.IntervalStart is { Length: > 0 } start ? start : "-")}, {s.Market.IntervalsDecided} decided\n");
        if (s.Market.IntervalsClosed > 0)
        {
            b.Append(c, $"last interval {s.Market.LastIntervalKwh:0.0000} kWh, {s.Market.LastIntervalEur:0.0000} EUR, {s.Market.LastIntervalKgCo2:0.0000} kg CO2 ({s.Market.IntervalsClosed} closed)\n");
        }
        b.Append(s.Price.Valid
            ? string.Create(c, $"price {s.Price.CtPerKwh:0.000} ct/kWh for {s.Price.IntervalStart}..{s.Price.IntervalEnd} (term {s.Price.Term}, index {s.Price.Index}), {s.Price.Applied} applied\n")
            : $"price: none in force, safe policy ({s.Price.SafeReason})\n");
        b.Append(c, $"rack {s.Rack.PowerWatts:0} W of cap {s.Rack.CapWatts:0} W (budget {s.Rack.BudgetWatts:0} W), {s.Rack.ServersOn}/{s.Rack.Servers} servers on, hottest {s.Rack.MaxTemperatureC:0.0} C\n");
        b.Append(c, $"since start {s.Accounting.Kwh:0.000} kWh, {s.Accounting.Eur:0.000} EUR, {s.Accounting.KgCo2:0.000} kg CO2\n");
        foreach (ContractStatus? k in s.Contracts ?? [])
        {
            if (k is not null)
            {
                b.Append(c, $"contract {k.Id} with node {k.Partner}: {k.State}, units in {k.UnitsIn} out {k.UnitsOut}, payments in {k.PaymentsIn:0.00} out {k.PaymentsOut:0.00}, {k.OffersRefused} offers refused, {k.TransfersAborted} aborted\n");
            }
        }
        if (s.ContractJournal is ContractJournalStatus j)
        {
            b.Append(j.Halted
                ? string.Create(c, $"contracts HALTED: the contract journal cannot be written: {j.Error}; no transfer starts, contract messages are dropped ({j.DroppedWhileHalted} so far); retrying\n")
                : string.Create(c, $"contract journal {j.Bytes} of {j.CapacityBytes} bytes, {j.Compactions} compactions, {j.Failures} write failures, {j.Recoveries} recoveries{(j.Error is { } last ? $" (last error: {last})" : "")}\n"));
        }
        b.Append("members:\n");
        foreach (MemberStatus? m in s.Members)
        {
            if (m is null)
            {
                continue;
            }
            b.Append(c, $"  {m.NodeId,5} {(m.Alive ? "alive" : "failed"),-6} {(m.Voter ? "voter" : "observer"),-8} {m.Endpoint}{(m.NodeId == s.Coordinator ? "  <- coordinator" : "")}\n");
        }
        return b.ToString();
    }
}
