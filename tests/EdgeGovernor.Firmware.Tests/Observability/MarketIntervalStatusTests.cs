using System.Globalization;
using System.Text.Json;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Tests.Transport;

namespace EdgeGovernor.Firmware.Tests.Observability;

/// <summary>
/// The market interval (<c>market.intervalMinutes</c>), the current interval's start, the intervals decided and the last
/// closed interval's energy, cost and emissions in <c>/status</c>, the <c>edgegov status</c> text and <c>/metrics</c>.
/// </summary>
[Collection("processes")]
public sealed class MarketIntervalStatusTests
{
    private static NodeSnapshot Snapshot() =>
        new(1, 1, [1], "127.0.0.1:1", 1000, 1, "fixed-cap", new MarketClock(DateTime.UnixEpoch, 0, 1), new PriceValidator(-50, 400));

    [Fact]
    public void Before_the_first_step_the_interval_start_is_empty_and_its_metric_NaN()
    {
        NodeSnapshot s = Snapshot();
        s.IntervalMinutes = 15;
        Assert.Equal(-1, s.IntervalStartTicks);
        Assert.Equal("", NodeStatusBuilder.Build(s, new Dictionary<uint, string>()).Market.IntervalStart);
        Assert.Contains("\nedgegov_market_interval_start_seconds NaN\n", NodeMetrics.Write(s), StringComparison.Ordinal);

        s.Interval = long.MaxValue / 2; // past year 9999: no start rather than an exception
        Assert.Equal(-1, s.IntervalStartTicks);
        Assert.Equal("", NodeStatusBuilder.Build(s, new Dictionary<uint, string>()).Market.IntervalStart);
    }

    [Fact]
    public void The_snapshot_shows_in_status_json_the_status_text_and_metrics()
    {
        NodeSnapshot s = Snapshot();
        var start = new DateTime(2026, 12, 6, 11, 45, 0, DateTimeKind.Utc);
        s.IntervalMinutes = 15;
        s.Interval = start.Ticks / TimeSpan.FromMinutes(15).Ticks;
        s.IntervalsDecided = 42;
        s.IntervalsClosed = 41;
        s.LastIntervalKwh = 0.3125;
        s.LastIntervalEur = 0.0375;
        s.LastIntervalKgCo2 = 0.1340627;

        string metrics = NodeMetrics.Write(s);
        Assert.Contains("# TYPE edgegov_market_interval_seconds gauge\nedgegov_market_interval_seconds 900\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nedgegov_market_interval_start_seconds " + new DateTimeOffset(start).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "\n", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE edgegov_intervals_decided_total counter\nedgegov_intervals_decided_total 42\n", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE edgegov_intervals_closed_total counter\nedgegov_intervals_closed_total 41\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nedgegov_last_interval_energy_kwh 0.3125\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nedgegov_last_interval_cost_eur 0.0375\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nedgegov_last_interval_co2_kg 0.1340627\n", metrics, StringComparison.Ordinal);

        string json = JsonSerializer.Serialize(NodeStatusBuilder.Build(s, new Dictionary<uint, string>()), StatusJsonContext.Default.NodeStatus);
        using (var doc = JsonDocument.Parse(json))
        {
            JsonElement market = doc.RootElement.GetProperty("market");
            Assert.Equal(15, market.GetProperty("intervalMinutes").GetInt32());
            Assert.Equal("2026-12-06T11:45:00Z", market.GetProperty("intervalStart").GetString());
            Assert.Equal(42, market.GetProperty("intervalsDecided").GetInt64());
            Assert.Equal(41, market.GetProperty("intervalsClosed").GetInt64());
            Assert.Equal(0.3125, market.GetProperty("lastIntervalKwh").GetDouble());
            Assert.Equal(0.0375, market.GetProperty("lastIntervalEur").GetDouble());
            Assert.Equal(0.134063, market.GetProperty("lastIntervalKgCo2").GetDouble());
        }
        string text = StatusClient.Format(JsonSerializer.Deserialize(json, StatusJsonContext.Default.NodeStatus)!);
        Assert.Contains("market interval 15 min, current from 2026-12-06T11:45:00Z, 42 decided\n", text, StringComparison.Ordinal);
        Assert.Contains("last interval 0.3125 kWh, 0.0375 EUR, 0.1341 kg CO2 (41 closed)\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_status_without_market_part_prints_it_empty_and_no_last_interval()
    {
        NodeStatus status = JsonSerializer.Deserialize("""{"nodeId":1,"market":null}""", StatusJsonContext.Default.NodeStatus)!;
        string text = StatusClient.Format(status);
        Assert.Contains("market interval 0 min, current from -, 0 decided\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("last interval", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_running_node_reports_its_configured_interval_end_to_end()
    {
        using var dir = new TempDir();
        var (group, port) = TransportTests.FreshGroup();
        FirmwareConfig config = NodeProcess.ConfigFor(1, [1], dir, group, port, NodeProcess.NewKeyFile(dir));
        config.Market = new MarketConfig { IntervalMinutes = 30 }; // not the default, so the figures follow the config
        using NodeProcess node = NodeProcess.Start(config, dir);
        NodeStatus? status = null;
        NodeProcess.WaitUntil(() => (status = node.Status()) is { Market.IntervalsClosed: >= 3 }, "the node closed three market intervals", 90);

        MarketIntervalStatus m = status!.Market;
        Assert.Equal(30, m.IntervalMinutes);
        DateTime start = DateTime.ParseExact(m.IntervalStart, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.Equal(0, start.Ticks % TimeSpan.FromMinutes(30).Ticks);
        DateTime market = DateTime.ParseExact(status.MarketTime, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.InRange(market - start, TimeSpan.Zero, TimeSpan.FromMinutes(60)); // market time is read a little after the step
        Assert.True(m.IntervalsDecided > m.IntervalsClosed, $"{m.IntervalsDecided} decided, {m.IntervalsClosed} closed");
        // Four servers of 90..300 W under a 3000 W budget for half an hour.
        Assert.InRange(m.LastIntervalKwh, 4 * 0.090 * 0.5 * 0.5, 3000 * 0.5 / 1000);
        Assert.True(double.IsFinite(m.LastIntervalEur) && m.LastIntervalEur != 0, $"last interval cost {m.LastIntervalEur}");

        Assert.Equal(1800, node.Metric("edgegov_market_interval_seconds"));
        Assert.True(node.Metric("edgegov_intervals_decided_total") >= m.IntervalsDecided);
        Assert.True(node.Metric("edgegov_intervals_closed_total") >= m.IntervalsClosed);
        Assert.Equal(0, node.Metric("edgegov_market_interval_start_seconds") % 1800);
        Assert.True(node.Metric("edgegov_market_interval_start_seconds") >= new DateTimeOffset(start).ToUnixTimeSeconds());
        Assert.True(node.Metric("edgegov_last_interval_energy_kwh") > 0);

        var (code, stdout, stderr) = NodeProcess.RunToEnd(TimeSpan.FromSeconds(30), "status", "--url", $"http://127.0.0.1:{config.Observability.HttpPort}/status");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"\nmarket interval 30 min, current from \d{4}-\d\d-\d\dT\d\d:[03]0:00Z, \d+ decided\n", stdout);
        Assert.Matches(@"\nlast interval \d+\.\d{4} kWh, -?\d+\.\d{4} EUR, \d+\.\d{4} kg CO2 \(\d+ closed\)\n", stdout);
    }
}
