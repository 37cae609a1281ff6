using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using EdgeGovernor.Firmware.Cli;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Firmware.Demo;

/// <summary>
/// <c>edgegov demo --contracts</c>: two owners' racks, in this process, each a whole board (<see cref="ContractDemoBoard"/>:
/// loopback UDP, cluster node, simulated rack, contract journal) on one accelerated market day of the synthetic price
/// shape (<c>--duration</c> wall seconds). Owner A's batch servers are old (450 W at full load) and its batch is due
/// within 12 hours; owner B's are efficient (200 W) with room to spare. The day runs twice: without a contract, then
/// with one (price range 0.02..0.20 EUR per unit, at most 8 units an hour, migration 0.005 EUR per unit). The summary
/// per owner: units moved each way, payments, and net value (work value of its own units wherever they ran, less its
/// energy cost, less what it pays, plus what it is paid) with and without the contract. Exits 0 when both boards'
/// ledgers agree and no unit is lost or run twice (every transfer committed on both sides or on neither).
/// </summary>
internal static class ContractDemo
{
    private const int Batch = 0;
    private static readonly DateTime Day = new(2026, 3, 2);

    /// <summary>Runs the demo; returns the process exit code.</summary>
    public static int Run(DemoCommand command, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(command);
        string dir = Path.Combine(Path.GetTempPath(), "edgegov-contracts-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var log = new StringWriter();
        bool ok = false;
        try
        {
            double secondsPerRun = command.DurationSeconds / 2;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"edgegov demo --contracts: owners A (node 1, old servers, batch due in 12 h) and B (node 2, efficient servers), one market day in {secondsPerRun:0} s, twice: without and with a contract"));
            Outcome without = RunDay(dir, "without", withContract: false, secondsPerRun, log);
            Outcome with = RunDay(dir, "with", withContract: true, secondsPerRun, log);
            stdout.WriteLine();
            stdout.WriteLine("owner  units out  units in  paid EUR  earned EUR  net EUR without  net EUR with   gain");
            for (int i = 0; i < 2; i++)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(i == 0 ? "A" : "B"),-5}  {with.UnitsOut[i],9}  {with.UnitsIn[i],8}  {with.Paid[i],8:0.000}  {with.Earned[i],10:0.000}  {without.Net[i],15:0.000}  {with.Net[i],12:0.000}  {with.Net[i] - without.Net[i],+6:+0.000;-0.000}"));
            }
            ok = with.LedgersAgree && with.Resolved;
            stdout.WriteLine(ok
                ? $"ledgers agree; every transfer committed on both boards or on neither ({with.Transfers} transfers, {with.UnitsOut[0] + with.UnitsOut[1]} units moved)"
                : $"FAILED: ledgers agree {with.LedgersAgree}, transfers resolved {with.Resolved}");
            return ok ? Program.ExitOk : Program.ExitFailure;
        }
        finally
        {
            if (ok)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                }
            }
            else
            {
                File.WriteAllText(Path.Combine(dir, "boards.log"), log.ToString());
                stderr.WriteLine($"edgegov demo: board logs kept in {dir}");
            }
        }
    }

    private static Outcome RunDay(string root, string name, bool withContract, double seconds, TextWriter log)
    {
        string dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        string keyFile = Path.Combine(dir, "cluster.key");
        File.WriteAllText(keyFile, $"1:{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite); // a key file must be 0600
        }
        string pk1 = Convert.ToHexStringLower(SigningKeyFile.Create(Path.Combine(dir, "signing1.key")));
        string pk2 = Convert.ToHexStringLower(SigningKeyFile.Create(Path.Combine(dir, "signing2.key")));
        FirmwareConfig a = Config(dir, 1, 2, pk2, watts: 450, servers: 4, workHours: 10, deadlineHours: 12, withContract ? """ "classesOut": ["batch"] """ : null);
        FirmwareConfig b = Config(dir, 2, 1, pk1, watts: 200, servers: 4, workHours: 4, deadlineHours: 24, withContract ? """ "classesIn": ["batch"] """ : null);

        double acceleration = 24 * 3600 / seconds;
        var market = new MarketClock(Day, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), acceleration);
        (IPAddress group, int port) = DemoRunner.FreshGroup();
        double[] prices = Prices(market.Now);
        using var boardA = new ContractDemoBoard(a, market, group, port, prices, decideWindowMs: Math.Max(50, (long)(seconds * 1000 / 24 / 4)), log);
        using var boardB = new ContractDemoBoard(b, market, group, port, prices, decideWindowMs: Math.Max(50, (long)(seconds * 1000 / 24 / 4)), log);
        boardA.AddPeer(2, boardB.EndPoint);
        boardB.AddPeer(1, boardA.EndPoint);

        // Control steps every 5 market minutes; contracts every turn (offers at each control step).
        double stepMarketSeconds = 300;
        var wall = Stopwatch.StartNew();
        DateTime end = Day.AddHours(24);
        DateTime nextStep = market.Now.AddSeconds(stepMarketSeconds);
        double lastWall = 0;
        bool first = true;
        while (market.Now < end)
        {
            bool step = market.Now >= nextStep;
            if (step)
            {
                prices = Prices(market.Now);
                boardA.SetPrices(prices);
                boardB.SetPrices(prices);
                double w = wall.Elapsed.TotalSeconds;
                boardA.StepRack(w - lastWall, (w - lastWall) * acceleration);
                boardB.StepRack(w - lastWall, (w - lastWall) * acceleration);
                lastWall = w;
                nextStep = nextStep.AddSeconds(stepMarketSeconds);
            }
            boardA.Pump(digests: first, decide: step);
            boardB.Pump(digests: first, decide: step);
            first = false;
        }
        // Let the last answers arrive (no new offers).
        for (int k = 0; k < 50; k++)
        {
            boardA.Pump(digests: false, decide: false);
            boardB.Pump(digests: false, decide: false);
        }
        return Outcome.Of(boardA, boardB);
    }

    // The synthetic day's shape (EUR per kWh, per market hour from the hour of now): cheap nights, a morning and an evening peak.
    private static double[] Prices(DateTime now)
    {
        double[] p = new double[ContractRackWork.HorizonHours];
        for (int h = 0; h < p.Length; h++)
        {
            int hour = (now.Hour + h) % 24;
            p[h] = 0.12 + (0.10 * Math.Exp(-0.5 * Math.Pow((hour - 8) / 2.0, 2))) + (0.16 * Math.Exp(-0.5 * Math.Pow((hour - 19) / 2.5, 2)));
        }
        return p;
    }

    private static FirmwareConfig Config(string dir, int node, int peer, string peerKey, int watts, int servers, int workHours, int deadlineHours, string? classes)
    {
        string contract = classes is null ? "" : $$"""
            { "id": 1, "partner": {{peer}}, "priceMin": 0.02, "priceMax": 0.20, {{classes}}, "maxUnitsPerHour": 8, "migrationCostPerUnit": 0.005,
              "validFrom": "2000-01-01T00:00:00Z", "validUntil": "2100-01-01T00:00:00Z" }
            """;
        string json = $$"""
            { "nodeId": {{node}}, "roster": [1, 2], "clusterKeyFile": "cluster.key", "signingKeyFile": "signing{{node}}.key", "stateDirectory": "state{{node}}",
              "network": { "peers": [ { "nodeId": {{peer}}, "publicKey": "{{peerKey}}" } ] },
              "rack": { "budgetWatts": 4000, "servers": [ { "name": "batch", "model": "demo", "count": {{servers}}, "minCapWatts": 100, "maxCapWatts": {{watts}}, "job": "batch" } ] },
              "jobs": [ { "name": "batch", "share": 1, "valuePerUnitEur": 0.002, "deferrable": true, "workHoursPerDay": {{workHours}}, "deadlineHours": {{deadlineHours}}, "releaseHourOfDay": 0 } ],
              "priceFeed": { "acceleration": 1 },
              "contracts": [ {{contract}} ] }
            """;
        ConfigLoadResult result = ConfigLoader.Parse(json, dir);
        return result.IsValid ? result.Config! : throw new InvalidOperationException("demo configuration: " + string.Join("; ", result.Errors));
    }

    /// <summary>One day's result per owner (index 0: A, 1: B).</summary>
    private sealed class Outcome
    {
        public long[] UnitsOut { get; } = new long[2];

        public long[] UnitsIn { get; } = new long[2];

        public double[] Paid { get; } = new double[2];

        public double[] Earned { get; } = new double[2];

        public double[] Net { get; } = new double[2];

        public bool LedgersAgree { get; private set; } = true;

        public bool Resolved { get; private set; } = true;

        public int Transfers { get; private set; }

        public static Outcome Of(ContractDemoBoard a, ContractDemoBoard b)
        {
            var o = new Outcome();
            ContractDemoBoard[] boards = [a, b];
            for (int i = 0; i < 2; i++)
            {
                ContractDemoBoard board = boards[i];
                double value = board.Rack.ContractValuePerUnit(Batch);
                double net = board.Rack.Reading.WorkValueEur - board.Rack.Ledger.Eur;
                if (board.Host is ContractHost host)
                {
                    ContractLedgerEntry l = host.Exchange.Ledger(new NodeId(i == 0 ? 2u : 1u));
                    o.UnitsOut[i] = l.UnitsOut;
                    o.UnitsIn[i] = l.UnitsIn;
                    o.Paid[i] = l.PaidMicros / 1e6;
                    o.Earned[i] = l.ReceivedMicros / 1e6;
                    // Units run for the partner are the partner's value; the owner's units the partner ran are its own.
                    net += (l.UnitsOut - l.UnitsIn) * value - o.Paid[i] + o.Earned[i];
                }
                o.Net[i] = net;
            }
            if (a.Host is ContractHost ha && b.Host is ContractHost hb)
            {
                o.LedgersAgree = ha.Exchange.Ledger(new NodeId(2)).AgreesWith(hb.Exchange.Ledger(new NodeId(1)));
                // Every transfer the owner committed is committed (or done) at the receiver, and nothing else is.
                int committed = 0;
                foreach (ContractTransfer t in ha.Exchange.Transfers)
                {
                    o.Transfers++;
                    bool ownerCommitted = t.State is TransferState.Committed or TransferState.Settled;
                    bool receiverCommitted = hb.Exchange.TryGetTransfer(t.Id, out ContractTransfer r) && r.State is TransferState.Committed or TransferState.Done or TransferState.Closed;
                    o.Resolved &= ownerCommitted == receiverCommitted;
                    committed += ownerCommitted ? 1 : 0;
                }
                foreach (ContractTransfer r in hb.Exchange.Transfers)
                {
                    committed -= r.State is TransferState.Committed or TransferState.Done or TransferState.Closed ? 1 : 0;
                }
                o.Resolved &= committed == 0;
            }
            return o;
        }
    }
}
