using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// Checks the meaning of every setting and collects every problem with its JSON path; nothing
/// starts while one remains. Also reads the cluster key file (into <see cref="FirmwareConfig.Keys"/>).
/// </summary>
internal static class ConfigValidator
{
    /// <summary>Hardware backends.</summary>
    public static readonly string[] HardwareKinds = ["simulated", "linux"];

    /// <summary>How cpufreq follows the caps (linux backend).</summary>
    public static readonly string[] CpufreqModes = ["off", "follow-cap"];

    /// <summary>DCMI exception actions.</summary>
    public static readonly string[] BmcExceptionActions = ["log", "none", "hard-off"];

    /// <summary>Chassis power-off actions.</summary>
    public static readonly string[] BmcPowerOffActions = ["soft", "hard"];

    /// <summary>Price feed kinds.</summary>
    public static readonly string[] FeedKinds = ["synthetic", "csv", "http", "entsoe"];

    /// <summary>Price units a feed may report in.</summary>
    public static readonly string[] PriceUnits = ["EUR/MWh", "ct/kWh"];

    /// <summary>Safe policy modes.</summary>
    public static readonly string[] SafeModes = ["fixed-cap", "fallback-price"];

    /// <summary>Largest rack budget, watts (a megawatt: far above any rack).</summary>
    public const double MaxRackWatts = 1_000_000;

    /// <summary>Largest power cap of one server, watts.</summary>
    public const double MaxServerWatts = 20_000;

    /// <summary>Widest price bound, ct/kWh (the intraday markets' ±9999 EUR/MWh).</summary>
    public const double MaxPriceBoundCtPerKwh = 1000;

    /// <summary>Fastest replay: market seconds per wall second.</summary>
    public const double MaxAcceleration = 100_000;

    /// <summary>Log levels.</summary>
    public static readonly string[] LogLevels = ["debug", "info", "notice", "warning", "error"];

    /// <summary>Validates <paramref name="c"/>, appending every problem to <paramref name="errors"/>.</summary>
    public static void Validate(FirmwareConfig c, List<ConfigError> errors) => Validate(c, errors, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>Validates <paramref name="c"/> as of wall time <paramref name="unixNowMs"/> (the replay's market time is checked for it).</summary>
    public static void Validate(FirmwareConfig c, List<ConfigError> errors, long unixNowMs)
    {
        var e = new Collector(errors);
        e.Check(c.NodeId != 0, "$.nodeId", "must be set to a node id from 1 to 4294967295");
        e.Check(c.ClusterId != 0, "$.clusterId", "must be from 1 to 4294967295");
        ValidateRoster(c, e);
        if (string.IsNullOrWhiteSpace(c.ClusterKeyFile))
        {
            e.Add("$.clusterKeyFile", "must name the file holding the cluster key ('keyId:hexsecret' per line)");
        }
        else
        {
            c.Keys = KeyFile.Read(c.ClusterKeyFile, "$.clusterKeyFile", errors);
        }
        if (string.IsNullOrWhiteSpace(c.SigningKeyFile))
        {
            e.Add("$.signingKeyFile", "must name this board's signing key file (make one with 'edgegov keygen --out FILE')");
        }
        else
        {
            c.SigningSeed = SigningKeyFile.Read(c.SigningKeyFile, "$.signingKeyFile", errors);
        }

        e.Check(!string.IsNullOrWhiteSpace(c.StateDirectory), "$.stateDirectory", "must name a directory");
        ValidateNetwork(c.Network, e);
        ValidateRack(c.Rack, e);
        RedfishConfigValidator.Validate(c.Rack, errors);
        AddonConfigValidator.Validate(c.Rack, errors);
        InputsConfigValidator.Validate(c.Rack, errors);
        ValidateJobs(c.Jobs, e);
        ValidateEconomics(c.Rack, c.Jobs, e);
        MarketConfigValidator.Validate(c, errors);
        ContractConfigValidator.Validate(c, errors);
        ValidateFeed(c.PriceFeed, e, unixNowMs);
        EntsoeConfigValidator.Validate(c.PriceFeed, errors);
        CarbonConfigValidator.Validate(c.Carbon, errors);
        ValidateThresholds(c.Thresholds, e);
        ValidateTimers(c.Timers, e);
        ValidateSafePolicy(c.SafePolicy, c.Thresholds, e);
        ValidateObservability(c.Observability, e, errors);
    }

    private static void ValidateRoster(FirmwareConfig c, Collector e)
    {
        if (c.Roster.Length == 0)
        {
            e.Add("$.roster", "must list the voting node ids (at least one)");
            return;
        }
        var seen = new HashSet<uint>();
        for (int i = 0; i < c.Roster.Length; i++)
        {
            e.Check(c.Roster[i] != 0, $"$.roster[{i}]", "node id 0 is not allowed");
            e.Check(seen.Add(c.Roster[i]), $"$.roster[{i}]", $"node id {c.Roster[i]} appears twice");
        }
        e.Check(c.Roster.Length <= 255, "$.roster", "at most 255 voters");
    }

    private static void ValidateNetwork(NetworkConfig n, Collector e)
    {
        if (!IPAddress.TryParse(n.MulticastGroup, out IPAddress? group) || group.AddressFamily != AddressFamily.InterNetwork)
        {
            e.Add("$.network.multicastGroup", $"'{n.MulticastGroup}' is not an IPv4 address");
        }
        else
        {
            byte first = group.GetAddressBytes()[0];
            e.Check(first is >= 224 and <= 239, "$.network.multicastGroup", $"'{n.MulticastGroup}' is not a multicast address (224.0.0.0/4; use 239.0.0.0/8)");
        }
        e.Check(n.MulticastPort is >= 1 and <= 65535, "$.network.multicastPort", "must be from 1 to 65535");
        e.Check(n.UnicastPort is >= 0 and <= 65535, "$.network.unicastPort", "must be from 0 (any free port) to 65535");
        e.Check(n.UnicastPort != n.MulticastPort, "$.network.unicastPort", "must differ from multicastPort");
        e.Check(IPAddress.TryParse(n.Interface, out IPAddress? itf) && itf.AddressFamily == AddressFamily.InterNetwork,
            "$.network.interface", $"'{n.Interface}' is not the IPv4 address of an interface");
        e.Check(n.MulticastTtl is >= 1 and <= 255, "$.network.multicastTtl", "must be from 1 to 255");
        e.Check(n.ReceiveQueueSlots is >= 16 and <= 65536, "$.network.receiveQueueSlots", "must be from 16 to 65536");
        var peers = new HashSet<uint>();
        for (int i = 0; i < n.Peers.Length; i++)
        {
            string p = $"$.network.peers[{i}]";
            e.Check(n.Peers[i].NodeId != 0, p + ".nodeId", "must be from 1 to 4294967295");
            e.Check(peers.Add(n.Peers[i].NodeId), p + ".nodeId", $"node id {n.Peers[i].NodeId} appears twice");
            e.Check(TryParseEndpoint(n.Peers[i].Endpoint, out _) || (n.Peers[i].Endpoint.Length == 0 && n.Peers[i].PublicKey.Length > 0), p + ".endpoint", $"'{n.Peers[i].Endpoint}' is not 'a.b.c.d:port' (it may be left out for a peer listed for its publicKey only)");
            e.Check(string.IsNullOrEmpty(n.Peers[i].PublicKey) || SigningKeyFile.TryParsePublicKey(n.Peers[i].PublicKey, out _), p + ".publicKey", "must be 64 hexadecimal digits (the line 'edgegov keygen' prints)");
            e.Check(string.IsNullOrEmpty(n.Peers[i].NextPublicKey) || SigningKeyFile.TryParsePublicKey(n.Peers[i].NextPublicKey, out _), p + ".nextPublicKey", "must be 64 hexadecimal digits");
            e.Check(string.IsNullOrEmpty(n.Peers[i].NextPublicKey) || !string.IsNullOrEmpty(n.Peers[i].PublicKey), p + ".nextPublicKey", "a next key needs a current publicKey");
        }
    }

    private static void ValidateRack(RackConfig r, Collector e)
    {
        e.OneOf(r.Hardware, HardwareKinds, "$.rack.hardware");
        e.OneOf(r.Cpufreq, CpufreqModes, "$.rack.cpufreq");
        e.Check(Path.IsPathRooted(r.SysfsRoot), "$.rack.sysfsRoot", "must name a directory");
        e.Check(!string.IsNullOrWhiteSpace(r.StateFile), "$.rack.stateFile", "must name a file");
        e.Check(r.BudgetWatts is > 0 and <= MaxRackWatts, "$.rack.budgetWatts", "must be above 0 and at most 1000000 (W)");
        e.Check(r.MaxTemperatureC is > 30 and <= 110, "$.rack.maxTemperatureC", "must be above 30 and at most 110");
        e.Check(r.MinFanDuty is >= 0 and <= 1, "$.rack.minFanDuty", "must be from 0 to 1");
        e.Check(r.InletTemperatureC > -20 && r.InletTemperatureC < r.MaxTemperatureC, "$.rack.inletTemperatureC", "must be above -20 and below maxTemperatureC");
        if (r.Servers.Length == 0)
        {
            e.Add("$.rack.servers", "must list at least one server group");
            return;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        double minimumDraw = 0;
        for (int i = 0; i < r.Servers.Length; i++)
        {
            ServerConfig s = r.Servers[i];
            string p = $"$.rack.servers[{i}]";
            e.Check(!string.IsNullOrWhiteSpace(s.Name), p + ".name", "must not be empty");
            e.Check(string.IsNullOrWhiteSpace(s.Name) || names.Add(s.Name), p + ".name", $"'{s.Name}' appears twice");
            e.Check(!string.IsNullOrWhiteSpace(s.Model), p + ".model", "must not be empty");
            e.Check(s.Count is >= 1 and <= 1000, p + ".count", "must be from 1 to 1000");
            e.Check(s.MinCapWatts is > 0 and <= MaxServerWatts, p + ".minCapWatts", "must be above 0 and at most 20000 (W)");
            e.Check(s.MaxCapWatts > s.MinCapWatts && s.MaxCapWatts <= MaxServerWatts, p + ".maxCapWatts", "must be above minCapWatts and at most 20000 (W)");
            ValidateServerHardware(s, p, e, claimed);
            minimumDraw += s.MinCapWatts * Math.Max(0, s.Count);
        }
        e.Check(r.BudgetWatts <= 0 || minimumDraw <= r.BudgetWatts, "$.rack.budgetWatts",
            string.Create(CultureInfo.InvariantCulture, $"{r.BudgetWatts} W cannot hold every server at its minimum cap ({minimumDraw} W)"));
    }

    private static void ValidateServerHardware(ServerConfig s, string p, Collector e, HashSet<string> claimed)
    {
        if (s.Bmc is { } b)
        {
            e.Check(s.Count == 1, p + ".count", "must be 1 for a server with a bmc (one BMC per server)");
            e.Check(IPAddress.TryParse(b.Host, out IPAddress? host) && host.AddressFamily == AddressFamily.InterNetwork,
                p + ".bmc.host", $"'{b.Host}' is not an IPv4 address");
            e.Check(b.Port is >= 1 and <= 65535, p + ".bmc.port", "must be from 1 to 65535");
            e.Check(claimed.Add($"bmc {b.Host}:{b.Port}"), p + ".bmc", $"BMC {b.Host}:{b.Port} is already another server's");
            e.Check(b.TimeoutMs is >= 10 and <= 60000, p + ".bmc.timeoutMs", "must be from 10 to 60000");
            e.Check(b.Retries is >= 0 and <= 10, p + ".bmc.retries", "must be from 0 to 10");
            e.Check(b.PollMs is >= 100 and <= 600000, p + ".bmc.pollMs", "must be from 100 to 600000");
            e.Check(b.CorrectionTimeMs is >= 100 and <= 600000, p + ".bmc.correctionTimeMs", "must be from 100 to 600000");
            e.Check(b.SamplingPeriodSeconds is >= 1 and <= 3600, p + ".bmc.samplingPeriodSeconds", "must be from 1 to 3600");
            e.OneOf(b.ExceptionAction, BmcExceptionActions, p + ".bmc.exceptionAction");
            e.OneOf(b.PowerOff, BmcPowerOffActions, p + ".bmc.powerOff");
            e.Check(b.MinimumDwellSeconds is >= 1 and <= 86400, p + ".bmc.minimumDwellSeconds", "must be from 1 to 86400");
            e.Check(b.MaxTogglesPerHour is >= 1 and <= 60, p + ".bmc.maxTogglesPerHour", "must be from 1 to 60");
            e.Check(!b.PowerLimit || s.MaxCapWatts <= ushort.MaxValue, p + ".maxCapWatts", "must be at most 65535 W for a DCMI power limit");
            if (string.IsNullOrWhiteSpace(b.CredentialsFile))
            {
                e.Add(p + ".bmc.credentialsFile", "must name the file with 'username=' and 'password=' lines (chmod 600)");
            }
            else
            {
                try
                {
                    Hal.Ipmi.IpmiCredentials.Load(b.CredentialsFile);
                }
                catch (Hal.Bmc.BmcException x)
                {
                    e.Add(p + ".bmc.credentialsFile", x.Message);
                }
            }
        }

        if (s.Outlet is { Redfish: null } o)
        {
            e.Check(s.Count == 1, p + ".count", "must be 1 for a server with an outlet (one outlet per server)");
            e.Check(o.Chip.StartsWith("/dev/", StringComparison.Ordinal), p + ".outlet.chip", $"'{o.Chip}' is not a GPIO character device (e.g. /dev/gpiochip0)");
            e.Check(o.Line is >= 0 and <= 511, p + ".outlet.line", "must be a line offset from 0 to 511");
            e.Check(claimed.Add($"outlet {o.Chip}:{o.Line}"), p + ".outlet", $"line {o.Line} of {o.Chip} is already another server's outlet");
            e.Check(o.MinimumDwellSeconds is >= 1 and <= 86400, p + ".outlet.minimumDwellSeconds", "must be from 1 to 86400");
            e.Check(o.MaxTogglesPerHour is >= 1 and <= 60, p + ".outlet.maxTogglesPerHour", "must be from 1 to 60");
        }
    }

    private static void ValidateJobs(JobConfig[] jobs, Collector e)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        double shares = 0;
        for (int i = 0; i < jobs.Length; i++)
        {
            JobConfig j = jobs[i];
            string p = $"$.jobs[{i}]";
            e.Check(!string.IsNullOrWhiteSpace(j.Name), p + ".name", "must not be empty");
            e.Check(string.IsNullOrWhiteSpace(j.Name) || names.Add(j.Name), p + ".name", $"'{j.Name}' appears twice");
            e.Check(j.ValuePerUnitEur is >= 0 and <= 1e6, p + ".valuePerUnitEur", "must not be negative and at most 1000000 (EUR per unit of work)");
            e.Check(j.CpuSensitivity is >= 0 and <= 1, p + ".cpuSensitivity", "must be from 0 to 1");
            e.Check(j.Share is > 0 and <= 1, p + ".share", "must be above 0 and at most 1");
            shares += j.Share;
        }
        e.Check(jobs.Length == 0 || Math.Abs(shares - 1) < 1e-6, "$.jobs",
            string.Create(CultureInfo.InvariantCulture, $"the shares must sum to 1, they sum to {shares}"));
    }

    // Server economics and deferrable work: what the policy's ServerSpec and JobClass accept.
    private static void ValidateEconomics(RackConfig r, JobConfig[] jobs, Collector e)
    {
        for (int i = 0; i < r.Servers.Length; i++)
        {
            ServerConfig s = r.Servers[i];
            string p = $"$.rack.servers[{i}]";
            e.Check(s.Job.Length == 0 || Array.Exists(jobs, j => j.Name == s.Job), p + ".job",
                jobs.Length == 0 ? $"'{s.Job}' names no job class (jobs is empty)" : $"'{s.Job}' is not one of the jobs' names");
            e.Check(s.ThroughputPerHour is > 0 and <= 1e9, p + ".throughputPerHour", "must be above 0 and at most 1000000000 (units of work per hour at full load)");
            e.Check(s.BootSeconds is >= 0 and <= 3600, p + ".bootSeconds", "must be from 0 to 3600 (a boot occupies the hour it starts in)");
            e.Check(s.BootEnergyWh is >= 0 and <= 100_000, p + ".bootEnergyWh", "must be from 0 to 100000");
            e.Check(s.MinOnHours is >= 1 and <= 24, p + ".minOnHours", "must be from 1 to 24");
            e.Check(s.MinOffHours is >= 1 and <= 24, p + ".minOffHours", "must be from 1 to 24");
            e.Check(s.MaxCyclesPerDay is >= 0 and <= 24, p + ".maxCyclesPerDay", "must be from 0 to 24");
        }
        for (int i = 0; i < jobs.Length; i++)
        {
            JobConfig j = jobs[i];
            string p = $"$.jobs[{i}]";
            e.Check(double.IsFinite(j.ValuePerUnitEur), p + ".valuePerUnitEur", "must be a finite number");
            e.Check(j.MissPenaltyEurPerUnit is >= 0 and <= 1e6, p + ".missPenaltyEurPerUnit", "must be from 0 to 1000000");
            e.Check(j.DeadlineHours is >= 1 and <= 24 && j.DeadlineHours == Math.Floor(j.DeadlineHours), p + ".deadlineHours",
                "must be a whole number of hours from 1 to 24");
            e.Check(!j.Deferrable || (j.WorkHoursPerDay >= 1 && j.WorkHoursPerDay <= Math.Min(24, j.DeadlineHours)), p + ".workHoursPerDay",
                "must be from 1 to deadlineHours (hours of full-load work per server per day)");
            e.Check(j.ReleaseHourOfDay is >= 0 and <= 23, p + ".releaseHourOfDay", "must be from 0 to 23");
            bool runs = Array.Exists(r.Servers, s => s.Job == j.Name) || Array.TrueForAll(r.Servers, s => s.Job.Length == 0);
            e.Check(!j.Deferrable || runs, p + ".deferrable", $"no server runs '{j.Name}' (give rack.servers[].job)");
        }
    }

    private static void ValidateFeed(PriceFeedConfig f, Collector e, long unixNowMs)
    {
        e.OneOf(f.Kind, FeedKinds, "$.priceFeed.kind");
        e.OneOf(f.Unit, PriceUnits, "$.priceFeed.unit");
        e.Check(f.Acceleration is > 0 and <= MaxAcceleration, "$.priceFeed.acceleration", "must be above 0 and at most 100000");
        e.Check(f.PlausiblePastHours is >= 0 and <= 720, "$.priceFeed.plausiblePastHours", "must be from 0 to 720");
        e.Check(f.PlausibleAheadHours is >= 1 and <= 720, "$.priceFeed.plausibleAheadHours", "must be from 1 to 720");
        ValidateReplayClock(f, e, unixNowMs);
        e.Check(f.PollSeconds is >= 0.001 and <= 86400, "$.priceFeed.pollSeconds", "must be from 0.001 to 86400");
        e.Check(f.IntervalSeconds == 0 || f.IntervalSeconds is >= 1 and <= 86400, "$.priceFeed.intervalSeconds",
            "must be 0 (a CSV file's own interval, else market.intervalMinutes) or from 1 to 86400");
        e.Check(f.PublishAheadHours is >= 0 and <= 48, "$.priceFeed.publishAheadHours", "must be from 0 to 48");
        if (f.Kind == "csv")
        {
            e.Check(f.CsvPath.Length > 0, "$.priceFeed.csvPath", "must name the CSV file when kind is csv");
            e.Check(f.CsvPath.Length == 0 || File.Exists(f.CsvPath), "$.priceFeed.csvPath", $"file '{f.CsvPath}' does not exist");
        }
        if (f.Kind == "http")
        {
            e.Check(Uri.TryCreate(f.Url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps),
                "$.priceFeed.url", $"'{f.Url}' is not an absolute http or https URL");
            e.Check(!string.IsNullOrWhiteSpace(f.PriceField), "$.priceFeed.priceField", "must name the JSON field holding the price");
        }
    }

    // The replay's market clock (market = replayStart + (now - replayEpochUnixMs) x acceleration) must read a time in the
    // market window now: an epoch given in seconds, or one far from now with a high acceleration, is refused here
    // instead of overflowing the clock. A replay that runs out of the window later ends (the feed stops, the safe policy holds).
    private static void ValidateReplayClock(PriceFeedConfig f, Collector e, long unixNowMs)
    {
        long earliestMs = new DateTimeOffset(Feeds.PriceValidator.EarliestMarketTime, TimeSpan.Zero).ToUnixTimeMilliseconds();
        long latestMs = new DateTimeOffset(Feeds.PriceValidator.LatestMarketTime, TimeSpan.Zero).ToUnixTimeMilliseconds();
        bool epochOk = f.ReplayEpochUnixMs == 0 || (f.ReplayEpochUnixMs >= earliestMs && f.ReplayEpochUnixMs < latestMs);
        string seconds = f.ReplayEpochUnixMs is > 0 and < 100_000_000_000 ? "; it looks like seconds: give milliseconds" : "";
        e.Check(epochOk, "$.priceFeed.replayEpochUnixMs", string.Create(CultureInfo.InvariantCulture,
            $"{f.ReplayEpochUnixMs} must be 0 (process start) or a Unix time in milliseconds from {earliestMs} (2000-01-01) to {latestMs} (2100-01-01){seconds}"));
        DateTime start = default;
        bool startOk = f.ReplayStart.Length == 0 || DateTime.TryParse(f.ReplayStart, CultureInfo.InvariantCulture, DateTimeStyles.None, out start);
        e.Check(startOk, "$.priceFeed.replayStart", $"'{f.ReplayStart}' is not a date and time (e.g. 2024-06-01T00:00:00)");
        startOk &= f.ReplayStart.Length > 0;
        e.Check(!startOk || Feeds.PriceValidator.InMarketWindow(start), "$.priceFeed.replayStart",
            $"'{f.ReplayStart}' is outside the market window 2000-01-01 .. 2100-01-01");
        if (!epochOk || !(f.Acceleration is > 0 and <= MaxAcceleration) || f.ReplayEpochUnixMs == 0)
        {
            return;
        }
        // Market milliseconds the clock has moved from replayStart (or the file's first row) by now.
        double offsetMs = (unixNowMs - (double)f.ReplayEpochUnixMs) * f.Acceleration;
        double windowMs = (Feeds.PriceValidator.LatestMarketTime - Feeds.PriceValidator.EarliestMarketTime).TotalMilliseconds;
        bool nowOk = startOk && Feeds.PriceValidator.InMarketWindow(start)
            ? offsetMs > (Feeds.PriceValidator.EarliestMarketTime - start).TotalMilliseconds && offsetMs < (Feeds.PriceValidator.LatestMarketTime - start).TotalMilliseconds
            : Math.Abs(offsetMs) < windowMs;
        e.Check(nowOk, "$.priceFeed.replayEpochUnixMs", string.Create(CultureInfo.InvariantCulture,
            $"with acceleration {f.Acceleration} the replay's market time would now be {offsetMs / 3.15576e10:0.#} years from its start, outside the market window 2000-01-01 .. 2100-01-01"));
    }

    private static void ValidateThresholds(ThresholdConfig t, Collector e)
    {
        e.Check(t.UtilizationLow is >= 0 and < 1, "$.thresholds.utilizationLow", "must be from 0 to below 1");
        e.Check(t.UtilizationHigh > t.UtilizationLow && t.UtilizationHigh <= 1, "$.thresholds.utilizationHigh", "must be above utilizationLow and at most 1");
        e.Check(t.MinPriceCtPerKwh >= -MaxPriceBoundCtPerKwh, "$.thresholds.minPriceCtPerKwh", "must be at least -1000 (ct/kWh)");
        e.Check(t.MaxPriceCtPerKwh > t.MinPriceCtPerKwh && t.MaxPriceCtPerKwh <= MaxPriceBoundCtPerKwh, "$.thresholds.maxPriceCtPerKwh", "must be above minPriceCtPerKwh and at most 1000 (ct/kWh)");
        e.Check(t.Alternates is >= 0 and <= Protocol.Wire.ClusterHeartbeatSectionFrame.MaxAlternates, "$.thresholds.alternates",
            $"must be from 0 to {Protocol.Wire.ClusterHeartbeatSectionFrame.MaxAlternates} (the alternates a coordinator heartbeat carries)");
    }

    private static void ValidateTimers(TimerConfig t, Collector e)
    {
        e.Check(t.HeartbeatMs is >= 10 and <= 60000, "$.timers.heartbeatMs", "must be from 10 to 60000");
        e.Check(t.CoordinatorHeartbeatMs >= 10 && t.CoordinatorHeartbeatMs <= t.HeartbeatMs, "$.timers.coordinatorHeartbeatMs", "must be from 10 to heartbeatMs");
        long leaseMs = new Protocol.Cluster.ElectionOptions().LeaseUs / 1000;
        e.Check(t.ElectionTimeoutMs >= 3 * t.CoordinatorHeartbeatMs && t.ElectionTimeoutMs >= leaseMs && t.ElectionTimeoutMs <= 600000, "$.timers.electionTimeoutMs",
            $"must be at least 3 coordinator heartbeats, at least the coordinator's lease ({leaseMs} ms) and at most 600000");
        e.Check(t.ControlPeriodMs is >= 10 and <= 600000, "$.timers.controlPeriodMs", "must be from 10 to 600000");
        e.Check(t.PriceGraceMs is >= 0 and <= 86400000, "$.timers.priceGraceMs", "must be from 0 to 86400000");
        e.Check(t.WatchdogMs is >= 0 and <= 600000, "$.timers.watchdogMs", "must be from 0 (from $WATCHDOG_USEC) to 600000");
    }

    private static void ValidateSafePolicy(SafePolicyConfig s, ThresholdConfig t, Collector e)
    {
        e.OneOf(s.Mode, SafeModes, "$.safePolicy.mode");
        e.Check(s.CapFraction is > 0 and <= 1, "$.safePolicy.capFraction", "must be above 0 and at most 1");
        e.Check(s.FallbackPriceCtPerKwh >= t.MinPriceCtPerKwh && s.FallbackPriceCtPerKwh <= t.MaxPriceCtPerKwh,
            "$.safePolicy.fallbackPriceCtPerKwh", "must lie between thresholds.minPriceCtPerKwh and thresholds.maxPriceCtPerKwh");
    }

    private static void ValidateObservability(ObservabilityConfig o, Collector e, List<ConfigError> errors)
    {
        e.Check(IPAddress.TryParse(o.HttpAddress, out IPAddress? address), "$.observability.httpAddress", $"'{o.HttpAddress}' is not an IP address");
        e.Check(o.HttpPort is >= -1 and <= 65535, "$.observability.httpPort", "must be from -1 (off) to 65535 (0: any free port)");
        e.OneOf(o.LogLevel, LogLevels, "$.observability.logLevel");
        if (o.HttpBearerTokenFile.Length > 0)
        {
            o.HttpBearerToken = ReadSecretLine(o.HttpBearerTokenFile, "bearer token file", "$.observability.httpBearerTokenFile", 16, 4096, spaces: false, errors);
        }
        bool basic = o.HttpBasicAuthUser.Length > 0 || o.HttpBasicAuthPasswordFile.Length > 0;
        if (basic)
        {
            e.Check(o.HttpBasicAuthUser.Length is >= 1 and <= 64 && !o.HttpBasicAuthUser.Contains(':', StringComparison.Ordinal) && !o.HttpBasicAuthUser.Any(char.IsControl),
                "$.observability.httpBasicAuthUser", "must be 1 to 64 characters without ':' (with httpBasicAuthPasswordFile)");
            if (o.HttpBasicAuthPasswordFile.Length == 0)
            {
                e.Add("$.observability.httpBasicAuthPasswordFile", "must name the file holding the basic-auth password (mode 0600) when httpBasicAuthUser is set");
            }
            else
            {
                o.HttpBasicAuthPassword = ReadSecretLine(o.HttpBasicAuthPasswordFile, "password file", "$.observability.httpBasicAuthPasswordFile", 8, 1024, spaces: true, errors);
            }
        }
        bool authConfigured = o.HttpBearerTokenFile.Length > 0 || basic;
        e.Check(o.HttpPort < 0 || address is null || IPAddress.IsLoopback(address) || authConfigured, "$.observability.httpAddress",
            $"{o.HttpAddress} is not a loopback address: anyone on the network could read /metrics and /status; give httpBearerTokenFile " +
            "or httpBasicAuthUser and httpBasicAuthPasswordFile (what Prometheus scrapes with), or bind to 127.0.0.1");
    }

    // One line of a secret file (0600): trimmed, minLength..maxLength printable ASCII characters (spaces inside only when allowed).
    private static string? ReadSecretLine(string path, string what, string jsonPath, int minLength, int maxLength, bool spaces, List<ConfigError> errors)
    {
        string? text = SecretFile.Read(path, what, jsonPath, errors);
        if (text is null)
        {
            return null;
        }
        string secret = text.Trim();
        bool ok = secret.Length >= minLength && secret.Length <= maxLength;
        foreach (char ch in secret)
        {
            ok &= ch is > ' ' and < (char)0x7F || (spaces && ch == ' ');
        }
        if (!ok)
        {
            errors.Add(new ConfigError(jsonPath, $"{what} '{path}' must hold one line of {minLength} to {maxLength} printable characters{(spaces ? "" : " without spaces")}"));
            return null;
        }
        return secret;
    }

    /// <summary>Parses "a.b.c.d:port" (IPv4, port 1..65535).</summary>
    public static bool TryParseEndpoint(string text, out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (!IPEndPoint.TryParse(text, out IPEndPoint? ep) || ep.AddressFamily != AddressFamily.InterNetwork || ep.Port == 0 || !text.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }
        endpoint = ep;
        return true;
    }

    private readonly struct Collector(List<ConfigError> errors)
    {
        public void Add(string path, string reason) => errors.Add(new ConfigError(path, reason));

        public void Check(bool ok, string path, string reason)
        {
            if (!ok)
            {
                Add(path, reason);
            }
        }

        public void OneOf(string value, string[] allowed, string path) =>
            Check(Array.IndexOf(allowed, value) >= 0, path, $"'{value}' is not one of: {string.Join(", ", allowed)}");
    }
}
