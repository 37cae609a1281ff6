using System.Text;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Feeds.Carbon;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Tests.Feeds.Entsoe;

namespace EdgeGovernor.Firmware.Tests.Feeds;

/// <summary>
/// Carbon intensity: the real hourly series <c>../shared/data/carbon/DE-LU_2024_hourly.csv</c>, sub-hourly files, the
/// HTTP JSON feed against a local stub, the schedule, the ledger and the configuration.
/// </summary>
public sealed class CarbonTests
{
    private static Logger Quiet(StringWriter? w = null) => new("t", LogLevel.Debug, w ?? new StringWriter());

    private static readonly DateTime Jan1 = new(2024, 1, 1);
    private const long Epoch = 1_704_067_200_000; // 2024-01-01T00:00Z

    private static MarketClock Replay() => new(Jan1, Epoch, 1, () => Epoch);

    [Fact]
    public void The_real_hourly_series_gives_the_intensity_in_force_hour_by_hour()
    {
        string path = RepoPaths.SharedDataFile("carbon", "DE-LU_2024_hourly.csv");
        List<CarbonReading> readings = CarbonCsv.Load(path, "", TimeSpan.FromHours(1), Quiet());
        Assert.Equal(8784, readings.Count);
        var schedule = new CarbonSchedule(EnergyLedger.KgCo2PerKwh);
        schedule.Load(readings, Replay());
        Assert.Equal(0.1331, schedule.IntensityAt(Epoch + 1_800_000), 6);      // 2024-01-01 00:30: 133.1 g/kWh (direct)
        Assert.Equal(0.13417, schedule.IntensityAt(Epoch + 3_600_000), 6);     // 01:00: 134.17
        Span<double> ahead = stackalloc double[4];
        Assert.Equal(4, schedule.Ahead(Epoch, 900_000, ahead));              // quarter-hours of an hourly series
        Assert.Equal([0.1331, 0.1331, 0.1331, 0.1331], ahead.ToArray());
        // The life-cycle column when asked for.
        List<CarbonReading> lca = CarbonCsv.Load(path, "Carbon Intensity gCO₂eq/kWh (LCA)", TimeSpan.FromHours(1), Quiet());
        Assert.Equal(0.17774, lca[0].KgPerKwh, 6);
        // Before and after the series: the default.
        Assert.Equal(0.429, schedule.IntensityAt(Epoch - 1));
        Assert.Equal(0.429, schedule.IntensityAt(Epoch + (367L * 86_400_000)));
    }

    [Fact]
    public void A_sub_hourly_series_holds_each_row_until_the_next_and_bad_rows_are_skipped_with_their_line()
    {
        const string Csv = """
            time,g_co2_per_kwh
            2024-01-01 00:00:00,300
            2024-01-01 00:15:00,280
            2024-01-01 00:30:00,-5
            2024-01-01 00:30:00+01:00,260
            2024-01-01 00:45:00,abc
            2024-01-01 01:00:00,250
            2024-01-01 05:00:00,200
            """;
        var log = new StringWriter();
        List<CarbonReading> readings = CarbonCsv.Parse(new StringReader(Csv), "c.csv", "", TimeSpan.FromHours(1), Quiet(log), out int rejected);
        Assert.Equal(3, rejected); // -5 g/kWh, 23:30Z (not after 00:15), abc
        Assert.Contains("c.csv line 4", log.ToString(), StringComparison.Ordinal);
        Assert.Equal([0.3, 0.28, 0.25, 0.2], readings.Select(r => r.KgPerKwh));
        var schedule = new CarbonSchedule(0.429);
        schedule.Load(readings, Replay());
        Assert.Equal(0.28, schedule.IntensityAt(Epoch + (50 * 60_000)));      // 00:15 holds until 01:00
        Assert.Equal(0.25, schedule.IntensityAt(Epoch + (119 * 60_000)));     // 01:00 holds an hour at most...
        Assert.Equal(0.429, schedule.IntensityAt(Epoch + (3 * 3_600_000)));  // ...then the default over the gap
        Span<double> ahead = stackalloc double[6];
        Assert.Equal(1, schedule.Ahead(Epoch + 3_600_000, 3_600_000, ahead)); // 01:00 known, 02:00..04:00 not
        Assert.True(double.IsNaN(ahead[1]));
        Assert.Equal(0.2, ahead[4]);

        Assert.Throws<InvalidDataException>(() => CarbonCsv.Parse(new StringReader("time,price\n2024-01-01 00:00:00,1\n"), "p.csv", "", TimeSpan.FromHours(1), Quiet(), out _));
        Assert.Throws<InvalidDataException>(() => CarbonCsv.Parse(new StringReader("time,g_co2_per_kwh\n2024-01-01 00:00:00,9999\n"), "p.csv", "", TimeSpan.FromHours(1), Quiet(), out _));
    }

    [Fact]
    public void The_schedule_replaces_a_reading_of_the_same_start_and_forgets_the_oldest_when_full()
    {
        var s = new CarbonSchedule(0.429, capacity: 3);
        Assert.True(s.Add(0, 1000, 0.1));
        Assert.True(s.Add(2000, 3000, 0.3));
        Assert.True(s.Add(1000, 2000, 0.2));
        Assert.True(s.Add(1000, 2000, 0.25));
        Assert.Equal(3, s.Count);
        Assert.Equal(0.25, s.IntensityAt(1500));
        Assert.True(s.Add(3000, 4000, 0.4));
        Assert.Equal(0.429, s.IntensityAt(500)); // the oldest went
        Assert.Equal(0.4, s.IntensityAt(3999));
        Assert.False(s.Add(5000, 5000, 0.1));
        Assert.False(s.Add(5000, 6000, double.NaN));
        Assert.False(s.Add(5000, 6000, -0.1));
    }

    [Fact]
    public void The_ledger_books_emissions_at_the_intensity_in_force()
    {
        var ledger = new EnergyLedger();
        ledger.Book(1000, 1, 10);                 // 1 kWh at the default 0.429
        ledger.IntensityKgPerKwh = 0.1;
        ledger.Book(2000, 0.5, 10);               // 1 kWh at 0.1
        Assert.Equal(0.529, ledger.KgCo2, 9);
        Assert.Equal(2, ledger.Kwh, 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.IntensityKgPerKwh = double.NaN);
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.IntensityKgPerKwh = -1);
    }

    [Fact]
    public void The_http_carbon_feed_fills_the_schedule_through_its_duty()
    {
        using var stub = new EntsoeStub().Reply(200, """{"zone":"DE","carbonIntensity":302,"datetime":"2024-01-01T05:00:00.000Z"}""");
        var config = new CarbonConfig { Kind = "http", Url = stub.BaseUrl, IntervalSeconds = 3600, PollSeconds = 60, RequestTimeoutSeconds = 5 };
        var market = new MarketClock(DateTime.UnixEpoch, 0, 1, () => Epoch + (5 * 3_600_000) + 60_000);
        (CarbonSchedule schedule, IPriceFeed? feed) = CarbonSources.Create(config, market, Quiet());
        Assert.NotNull(feed);
        using (feed)
        {
            var duty = new CarbonDuty(CarbonSources.Poller(config, feed, Quiet()), market, schedule);
            long us = 0;
            for (int i = 0; i < 400 && schedule.Count == 0; i++)
            {
                if (us >= duty.DueUs(us))
                {
                    duty.Run(us);
                }
                Thread.Sleep(10);
                us += 10_000;
            }
            Assert.Equal(1, schedule.Count);
            Assert.Equal(0.302, schedule.IntensityAt(Epoch + (5 * 3_600_000) + 1), 9);
            Assert.Equal(0.429, schedule.IntensityAt(Epoch + (6 * 3_600_000)));
            Assert.True(duty.DueUs(us) >= 60_000_000 - 1_000_000); // next poll a minute after the first
        }
    }

    [Fact]
    public void Carbon_settings_are_bounded_and_named_by_their_path()
    {
        var errors = new List<ConfigError>();
        CarbonConfigValidator.Validate(new CarbonConfig(), errors);
        Assert.Empty(errors);
        CarbonConfigValidator.Validate(new CarbonConfig { Kind = "csv", CsvPath = "/nonexistent.csv", PricePerTonne = 5000, DefaultKgPerKwh = -1, IntervalSeconds = 60 }, errors);
        Assert.Equal(["$.carbon.csvPath", "$.carbon.defaultKgPerKwh", "$.carbon.intervalSeconds", "$.carbon.pricePerTonne"], errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        errors.Clear();
        CarbonConfigValidator.Validate(new CarbonConfig { Kind = "mqtt" }, errors);
        CarbonConfigValidator.Validate(new CarbonConfig { Kind = "http", Url = "file:///x", IntensityField = "" }, errors);
        Assert.Equal(["$.carbon.intensityField", "$.carbon.kind", "$.carbon.url"], errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.Contains(Encoding.UTF8.GetString("\"carbon\""u8), System.Text.Json.JsonSerializer.Serialize(new FirmwareConfig(), ConfigJsonContext.Default.FirmwareConfig), StringComparison.Ordinal);
    }
}
