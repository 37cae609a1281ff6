using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeGovernor.Firmware.Tests.Transport;

namespace EdgeGovernor.Firmware.Tests.Observability;

/// <summary>A real Prometheus (Debian package <c>prometheus</c>, installed by .ci/run) scrapes a running node.</summary>
[Collection("processes")]
public sealed class PrometheusTests
{
    [Fact]
    public void Prometheus_scrapes_a_node_and_answers_its_values()
    {
        string binary = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("prometheus is not installed: apt-get install prometheus (.ci/run does)");
        using var dir = new TempDir();
        var (group, port) = TransportTests.FreshGroup();
        string key = NodeProcess.NewKeyFile(dir);
        var config = NodeProcess.ConfigFor(1, [1], dir, group, port, key);
        config.Rack.BudgetWatts = 2345;
        string token = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        config.Observability.HttpBearerTokenFile = dir.SecretFile("http.token", token + "\n");
        using NodeProcess node = NodeProcess.Start(config, dir);
        node.BearerToken = token;
        NodeProcess.WaitUntil(() => node.Status() is { Price.Valid: true }, "the node serves a price");

        int promPort = FreePorts.Tcp();
        string yml = dir.File("prometheus.yml", $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: edgegov
                authorization:
                  type: Bearer
                  credentials_file: {config.Observability.HttpBearerTokenFile}
                static_configs:
                  - targets: ['127.0.0.1:{config.Observability.HttpPort}']
              - job_name: anonymous
                static_configs:
                  - targets: ['127.0.0.1:{config.Observability.HttpPort}']
            """);
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { $"--config.file={yml}", $"--storage.tsdb.path={Path.Combine(dir.Path, "tsdb")}", $"--web.listen-address=127.0.0.1:{promPort}" })
        {
            start.ArgumentList.Add(a);
        }
        using Process prometheus = Process.Start(start)!;
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.OutputDataReceived += (_, _) => { };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            double? Query(string expr)
            {
                try
                {
                    string body = http.GetStringAsync(new Uri($"http://127.0.0.1:{promPort}/api/v1/query?query={Uri.EscapeDataString(expr)}")).Result;
                    using var doc = JsonDocument.Parse(body);
                    JsonElement result = doc.RootElement.GetProperty("data").GetProperty("result");
                    return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                }
                catch (AggregateException)
                {
                    return null; // not up yet
                }
            }

            NodeProcess.WaitUntil(() => Query("edgegov_rack_budget_watts{job=\"edgegov\"}") is not null, "Prometheus scraped the node", 90);
            Assert.Equal(2345, Query("edgegov_rack_budget_watts{job=\"edgegov\"}"));
            Assert.Equal(1, Query("up{job=\"edgegov\"}"));
            Assert.Equal(1, Query("edgegov_is_coordinator"));
            Assert.Equal(1, Query("edgegov_role{role=\"coordinator\"}"));
            NodeProcess.WaitUntil(() => Query("edgegov_prices_applied_total") is > 0, "applied prices visible in Prometheus", 90);
            Assert.Equal(0, Query("edgegov_terms_refused_total{job=\"edgegov\"}"));
            Assert.Equal(0, Query("edgegov_announced_periods_clamped_total{job=\"edgegov\"}"));
            NodeProcess.WaitUntil(() => Query("up{job=\"anonymous\"}") is not null, "Prometheus tried the scrape without the token", 30);
            Assert.Equal(0, Query("up{job=\"anonymous\"}")); // 401: the scrape fails
        }
        finally
        {
            if (!prometheus.HasExited)
            {
                prometheus.Kill();
                prometheus.WaitForExit(10_000);
            }
        }
    }
}
