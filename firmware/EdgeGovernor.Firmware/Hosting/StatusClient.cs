using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeGovernor.Firmware.Cli;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary><c>edgegov status</c>: fetches <c>/status</c> from a running node and prints the cluster view.</summary>
public static class StatusClient
{
    /// <summary>Fetches and prints; 0 on success, 1 when the node cannot be reached or answers garbage.</summary>
    public static int Print(StatusCommand command, TextWriter stdout, TextWriter stderr)
    {
        string body;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
            using HttpResponseMessage response = http.GetAsync(command.Url).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                stderr.WriteLine($"edgegov: {command.Url} answered HTTP {(int)response.StatusCode}");
                return Program.ExitFailure;
            }
            body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            stderr.WriteLine($"edgegov: cannot reach {command.Url}: {e.Message} (is 'edgegov run' running, and observability.httpPort set?)");
            return Program.ExitFailure;
        }
        if (command.Json)
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
            stderr.WriteLine($"edgegov: {command.Url} did not answer a node status: {e.Message}");
            return Program.ExitFailure;
        }
        if (status is null)
        {
            stderr.WriteLine($"edgegov: {command.Url} answered an empty status");
            return Program.ExitFailure;
        }
        stdout.Write(Format(status));
        return Program.ExitOk;
    }

    /// <summary>The human-readable cluster view.</summary>
    public static string Format(NodeStatus s)
    {
        var b = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        b.Append(c, $"node {s.NodeId} ({s.Role}), term {s.Term}, coordinator {(s.Coordinator == 0 ? "none" : s.Coordinator.ToString(c))}, up {s.UptimeSeconds:0}s\n");
        b.Append(c, $"market time {s.MarketTime}\n");
        b.Append(s.Price.Valid
            ? string.Create(c, $"price {s.Price.CtPerKwh:0.000} ct/kWh for {s.Price.IntervalStart}..{s.Price.IntervalEnd} (term {s.Price.Term}, index {s.Price.Index}), {s.Price.Applied} applied\n")
            : $"price: none in force, safe policy ({s.Price.SafeReason})\n");
        b.Append(c, $"rack {s.Rack.PowerWatts:0} W of cap {s.Rack.CapWatts:0} W (budget {s.Rack.BudgetWatts:0} W), {s.Rack.ServersOn}/{s.Rack.Servers} servers on, hottest {s.Rack.MaxTemperatureC:0.0} C\n");
        b.Append(c, $"since start {s.Accounting.Kwh:0.000} kWh, {s.Accounting.Eur:0.000} EUR, {s.Accounting.KgCo2:0.000} kg CO2\n");
        b.Append("members:\n");
        foreach (MemberStatus m in s.Members)
        {
            b.Append(c, $"  {m.NodeId,5} {(m.Alive ? "alive" : "failed"),-6} {(m.Voter ? "voter" : "observer"),-8} {m.Endpoint}{(m.NodeId == s.Coordinator ? "  <- coordinator" : "")}\n");
        }
        return b.ToString();
    }
}
