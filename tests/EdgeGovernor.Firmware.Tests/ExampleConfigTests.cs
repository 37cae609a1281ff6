using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.TestSupport;

namespace EdgeGovernor.Firmware.Tests;

/// <summary>
/// The shipped examples of the market interval, the ENTSO-E feed and carbon load and validate as an operator installs
/// them (beside their key, token and data files, read from another working directory), and <c>market</c> is checked.
/// </summary>
public sealed class ExampleConfigTests
{
    // As an operator installs an example: copied beside the cluster's key, the board's signing key and the files it names.
    private static ConfigLoadResult Install(string example, TempDir dir)
    {
        string path = Path.Combine(dir.Path, example);
        File.Copy(Path.Combine(RepoPaths.FirmwareExamples, example), path);
        NodeProcess.NewKeyFile(dir);
        TestSigning.Write(dir.Path);
        dir.SecretFile("entsoe.token", "0123456789abcdef-token\n");
        File.Copy(RepoPaths.SharedDataFile("prices", "DE-LU_2024.csv"), Path.Combine(dir.Path, "prices.csv"));
        File.Copy(RepoPaths.SharedDataFile("carbon", "DE-LU_2024_hourly.csv"), Path.Combine(dir.Path, "carbon.csv"));
        // The test's working directory is not the example's: every relative path must resolve beside the file.
        Assert.NotEqual(Path.GetFullPath(dir.Path), Path.GetFullPath(Environment.CurrentDirectory));
        return ConfigLoader.Load(path);
    }

    private static FirmwareConfig Valid(ConfigLoadResult result)
    {
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Config!;
    }

    [Fact]
    public void The_entsoe_example_loads_with_its_token_file_beside_it_and_plans_42_servers_at_15_minutes()
    {
        using var dir = new TempDir();
        FirmwareConfig c = Valid(Install("edgegov-entsoe.json", dir));
        Assert.Equal("entsoe", c.PriceFeed.Kind);
        Assert.Equal("10Y1001A1001A82H", c.PriceFeed.Entsoe.BiddingZone);
        Assert.Equal(Path.Combine(dir.Path, "entsoe.token"), c.PriceFeed.Entsoe.TokenFile);
        Assert.Equal("0123456789abcdef-token", c.PriceFeed.Entsoe.Token);
        Assert.Equal(15, c.Market.IntervalMinutes);
        Assert.Equal(TimeSpan.FromMinutes(15), c.Market.FeedInterval(c.PriceFeed)); // intervalSeconds left out
        Assert.Equal(42, c.Rack.Servers.Sum(s => s.Count));
    }

    [Fact]
    public void The_carbon_csv_example_replays_a_series_beside_hourly_prices_with_a_carbon_price()
    {
        using var dir = new TempDir();
        FirmwareConfig c = Valid(Install("edgegov-carbon-csv.json", dir));
        Assert.Equal("csv", c.Carbon.Kind);
        Assert.Equal(Path.Combine(dir.Path, "carbon.csv"), c.Carbon.CsvPath);
        Assert.Equal(80, c.Carbon.PricePerTonne);
        Assert.Equal(15, c.Market.IntervalMinutes);
        Assert.Equal(TimeSpan.FromHours(1), c.Market.FeedInterval(c.PriceFeed)); // the hourly file's own: four quarter-hours each
    }

    [Fact]
    public void The_carbon_http_example_polls_an_endpoint_with_a_carbon_price()
    {
        using var dir = new TempDir();
        FirmwareConfig c = Valid(Install("edgegov-carbon-http.json", dir));
        Assert.Equal("http", c.Carbon.Kind);
        Assert.Equal("carbonIntensity", c.Carbon.IntensityField);
        Assert.Equal(80, c.Carbon.PricePerTonne);
        Assert.Equal(TimeSpan.FromMinutes(15), c.Market.FeedInterval(c.PriceFeed));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(120)]
    [InlineData(-15)]
    public void A_market_interval_other_than_5_15_30_or_60_minutes_is_refused_naming_its_path(int minutes)
    {
        using var dir = new TempDir();
        NodeProcess.NewKeyFile(dir);
        TestSigning.Write(dir.Path);
        ConfigLoadResult result = ConfigLoader.Parse($$"""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "cluster.key", "market": { "intervalMinutes": {{minutes}} } }""", dir.Path);
        ConfigError error = Assert.Single(result.Errors);
        Assert.Equal("$.market.intervalMinutes", error.Path);
        Assert.Contains("5, 15, 30 or 60", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(30)]
    [InlineData(60)]
    public void Every_supported_market_interval_is_accepted(int minutes)
    {
        using var dir = new TempDir();
        NodeProcess.NewKeyFile(dir);
        TestSigning.Write(dir.Path);
        ConfigLoadResult result = ConfigLoader.Parse($$"""{ "nodeId": 1, "roster": [1], "clusterKeyFile": "cluster.key", "market": { "intervalMinutes": {{minutes}} } }""", dir.Path);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(minutes, result.Config!.Market.IntervalMinutes);
    }

    [Fact]
    public void A_boot_longer_than_the_market_interval_is_refused_naming_the_server()
    {
        using var dir = new TempDir();
        NodeProcess.NewKeyFile(dir);
        TestSigning.Write(dir.Path);
        ConfigLoadResult result = ConfigLoader.Parse("""
            { "nodeId": 1, "roster": [1], "clusterKeyFile": "cluster.key", "market": { "intervalMinutes": 5 },
              "rack": { "budgetWatts": 4000, "servers": [ { "name": "a", "count": 2, "minCapWatts": 100, "maxCapWatts": 300 },
                                                          { "name": "b", "count": 2, "minCapWatts": 100, "maxCapWatts": 300, "bootSeconds": 420 } ] } }
            """, dir.Path);
        ConfigError error = Assert.Single(result.Errors);
        Assert.Equal("$.rack.servers[1].bootSeconds", error.Path);
        Assert.Contains("5-minute market interval", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Feed_interval_zero_is_the_market_interval_and_an_explicit_one_is_kept()
    {
        var market = new MarketConfig { IntervalMinutes = 30 };
        Assert.Equal(TimeSpan.FromMinutes(30), market.FeedInterval(new PriceFeedConfig()));
        Assert.Equal(TimeSpan.FromHours(1), market.FeedInterval(new PriceFeedConfig { IntervalSeconds = 3600 }));
        Assert.Equal(TimeSpan.FromMinutes(30), market.FeedInterval(new PriceFeedConfig { Kind = "http" }));
    }
}
