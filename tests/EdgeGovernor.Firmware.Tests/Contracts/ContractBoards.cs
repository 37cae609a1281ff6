using System.Diagnostics;
using System.Net;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Demo;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Tests.Transport;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.TestSupport;

namespace EdgeGovernor.Firmware.Tests.Contracts;

/// <summary>
/// Two boards under one load contract for the in-process contract tests over real UDP: board 1's rack (power-hungry
/// servers) sends batch units to board 2's (frugal servers). Their configurations, the pumping helpers, and the
/// exactly-once checker (<see cref="AssertEveryUnitOnce"/>).
/// </summary>
internal static class ContractBoards
{
    public const double EurPerKwh = 0.30;
    public const long DecideWindowMs = 1_500;
    public const int Batch = 0; // jobs[0]

    private const string Key = "1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";

    private static readonly DateTime MarketStart = new(2026, 3, 2, 1, 0, 0); // inside the day's job window (released at 0, due 24 h later)

    /// <summary>Both boards' configurations (state directories <c>state1</c>, <c>state2</c> in <paramref name="dir"/>), a
    /// fresh multicast group and the market clock (<paramref name="acceleration"/> market seconds per wall second).</summary>
    public static (FirmwareConfig, FirmwareConfig, (IPAddress, int), MarketClock) Setup(TempDir dir, bool receiverHoldsContract, int maxUnitsPerHour = 6, double acceleration = 1)
    {
        TestSigning.Write(dir.Path, "signing1.key");
        TestSigning.Write(dir.Path, "signing2.key");
        dir.SecretFile("k", Key);
        string pk1 = TestSigning.PublicKeyOf(Path.Combine(dir.Path, "signing1.key"));
        string pk2 = TestSigning.PublicKeyOf(Path.Combine(dir.Path, "signing2.key"));
        string contract1 = $$"""{ "id": 5, "partner": 2, "priceMin": 0.02, "priceMax": 0.5, "classesOut": ["batch"], "maxUnitsPerHour": {{maxUnitsPerHour}}, "migrationCostPerUnit": 0.01, "validFrom": "2020-01-01T00:00:00Z", "validUntil": "2100-01-01T00:00:00Z" }""";
        string contract2 = $$"""{ "id": 5, "partner": 1, "priceMin": 0.02, "priceMax": 0.5, "classesIn": ["batch"], "maxUnitsPerHour": {{maxUnitsPerHour}}, "migrationCostPerUnit": 0.01, "validFrom": "2020-01-01T00:00:00Z", "validUntil": "2100-01-01T00:00:00Z" }""";
        FirmwareConfig c1 = Load(dir, 1, 2, pk2, 500, contract1);
        FirmwareConfig c2 = Load(dir, 2, 1, pk1, 150, receiverHoldsContract ? contract2 : "");
        var market = new MarketClock(MarketStart, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), acceleration);
        return (c1, c2, TransportTests.FreshGroup(), market);
    }

    public static bool Has(ContractDemoBoard b, ContractJournalKind kind) => b.Journal!.ReadAll().Any(r => r.Kind == kind);

    /// <summary>Every transfer is resolved on both sides (committed or aborted) and both hold the same committed ones;
    /// unless <paramref name="anyTransfer"/> is false, at least one transfer exists.</summary>
    public static bool Settled(ContractDemoBoard owner, ContractDemoBoard receiver, bool anyTransfer = true) =>
        (!anyTransfer || owner.Host!.Exchange.Transfers.Any())
        && owner.Host!.Exchange.Transfers.All(t => t.State is TransferState.Committed or TransferState.Aborted)
        && receiver.Host!.Exchange.Transfers.All(t => t.State is TransferState.Committed or TransferState.Aborted)
        && owner.Host!.Exchange.Transfers.Where(t => t.State == TransferState.Committed).Select(t => t.Id)
            .SequenceEqual(receiver.Host!.Exchange.Transfers.Where(t => t.State == TransferState.Committed).Select(t => t.Id));

    public static void Link(ContractDemoBoard b1, ContractDemoBoard b2)
    {
        b1.AddPeer(2, b2.EndPoint);
        b2.AddPeer(1, b1.EndPoint);
    }

    /// <summary>Pumps the boards (digests on the first turn, no new offers) until <paramref name="done"/>; fails after 15 s.</summary>
    public static void Until(Func<bool> done, ContractDemoBoard? a, ContractDemoBoard? b, string what, ContractDemoBoard? also = null)
    {
        var watch = Stopwatch.StartNew();
        bool first = true;
        while (!done())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"timed out waiting for {what}");
            a?.Pump(digests: first, decide: false);
            b?.Pump(digests: first, decide: false);
            also?.Pump(digests: false, decide: false);
            first = false;
        }
    }

    /// <summary>Pumps both boards (digests first) until each holds the contract active.</summary>
    public static void UntilBothActive(ContractDemoBoard b1, ContractDemoBoard b2) =>
        Until(() => b1.Host!.Agreements[0].State == ContractState.Active && b2.Host!.Agreements[0].State == ContractState.Active, b1, b2, "both contracts active");

    /// <summary>
    /// The exactly-once check once every transfer is settled: both ledgers agree, exactly the committed units left board
    /// 1's queue (<paramref name="queued1"/> before) and joined board 2's (<paramref name="queued2"/>), none run twice,
    /// none lost, and the agreements publish the same books. Returns the units moved.
    /// </summary>
    public static long AssertEveryUnitOnce(ContractDemoBoard b1, ContractDemoBoard b2, double queued1, double queued2)
    {
        ContractLedgerEntry l1 = b1.Host!.Exchange.Ledger(new NodeId(2)), l2 = b2.Host!.Exchange.Ledger(new NodeId(1));
        Assert.True(l1.AgreesWith(l2), $"ledgers {l1} / {l2}");
        long moved = l1.UnitsOut;
        Assert.Equal(queued1 - moved, b1.Queued(Batch), 6);
        Assert.Equal(queued2 + moved, b2.Queued(Batch), 6);
        Assert.Equal(moved, b1.Host!.Agreements[0].UnitsOut);
        Assert.Equal(moved, b2.Host!.Agreements[0].UnitsIn);
        Assert.Equal(l1.PaidMicros / 1e6, b1.Host!.Agreements[0].PaymentsOut, 6);
        return moved;
    }

    /// <summary>Pumps <paramref name="pumped"/> alone until the wall clock is a second past <paramref name="unixMs"/> (a
    /// deadline passing while the other board is down or stalled); fails after 30 s.</summary>
    public static void PumpPast(long unixMs, ContractDemoBoard pumped)
    {
        var watch = Stopwatch.StartNew();
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < unixMs + 1_000)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the deadline is too far ahead");
            pumped.Pump(digests: false, decide: false);
        }
    }

    /// <summary>
    /// The exactly-once check of transfer <paramref name="sent"/> (board 1's, committed) that board 2 reported done past
    /// its run-by deadline with none of its units run there: board 2 journalled done with 0 run, board 1's transfer is
    /// settled with 0 run by the partner once, both ledgers agree, the units left board 1's queue
    /// (<paramref name="queued1"/> before) once and never came back, board 2's queue (<paramref name="queued2"/>) does
    /// not hold them (past their deadline), and the agreements publish the same books.
    /// </summary>
    public static void AssertReportedMissed(ContractDemoBoard b1, ContractDemoBoard b2, in ContractTransfer sent, double queued1, double queued2)
    {
        ContractJournalRecord done = Assert.Single(b2.Journal!.ReadAll(), r => r.Kind == ContractJournalKind.Done);
        Assert.Equal(0u, done.UnitsRun);
        TransferId id = sent.Id;
        Until(() => b1.Host!.Exchange.TryGetTransfer(id, out ContractTransfer t) && t.State == TransferState.Settled, b1, b2, "the owner's transfer settled");
        Assert.Single(b1.Journal!.ReadAll(), r => r.Kind == ContractJournalKind.Settled && r.UnitsRun == 0);
        ContractLedgerEntry l1 = b1.Host!.Exchange.Ledger(new NodeId(2)), l2 = b2.Host!.Exchange.Ledger(new NodeId(1));
        Assert.True(l1.AgreesWith(l2), $"ledgers {l1} / {l2}");
        Assert.Equal(sent.Offer.Units, (ulong)l1.UnitsOut);
        Assert.Equal(0, l1.UnitsRunByPartner);
        Assert.Equal(queued1 - sent.Offer.Units, b1.Queued(Batch), 6);
        Assert.Equal(queued2, b2.Queued(Batch), 6);
        Assert.Equal(l1.UnitsOut, b1.Host.Agreements[0].UnitsOut);
        Assert.Equal(l1.UnitsOut, b2.Host.Agreements[0].UnitsIn);
    }

    private static FirmwareConfig Load(TempDir dir, int node, int peer, string peerKey, int watts, string contract)
    {
        string json = $$"""
            { "nodeId": {{node}}, "roster": [1, 2], "clusterKeyFile": "k", "signingKeyFile": "signing{{node}}.key", "stateDirectory": "state{{node}}",
              "network": { "peers": [ { "nodeId": {{peer}}, "publicKey": "{{peerKey}}" } ] },
              "rack": { "budgetWatts": 4000, "servers": [ { "name": "b", "model": "m", "count": 2, "minCapWatts": 100, "maxCapWatts": {{watts}}, "job": "batch" } ] },
              "jobs": [ { "name": "batch", "share": 1, "deferrable": true, "workHoursPerDay": 8, "deadlineHours": 24, "releaseHourOfDay": 0 } ],
              "contracts": [ {{contract}} ] }
            """;
        ConfigLoadResult result = ConfigLoader.Parse(json, dir.Path);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return result.Config!;
    }
}
