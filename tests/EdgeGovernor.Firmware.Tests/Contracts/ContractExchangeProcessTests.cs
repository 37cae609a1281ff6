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
using Xunit.Abstractions;

namespace EdgeGovernor.Firmware.Tests.Contracts;

/// <summary>
/// Two boards in-process over the real UDP unicast path: board 1's rack (power-hungry servers) sends batch units to
/// board 2's (frugal servers) under their contract. Each unit moves exactly once when either board crashes in the middle
/// of a transfer and restarts from its journal; a contract only one side holds is never used.
/// </summary>
public sealed class ContractExchangeProcessTests(ITestOutputHelper output)
{
    private const string Key = "1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";
    private const double EurPerKwh = 0.30;
    private const long DecideWindowMs = 1_500;
    private const int Batch = 0; // jobs[0]

    private static readonly DateTime MarketStart = new(2026, 3, 2, 1, 0, 0); // inside the day's job window (released at 0, due 24 h later)

    public enum Crash
    {
        /// <summary>Board 2 crashes after board 1 committed, before the commit reached it: it asks for the outcome on restart.</summary>
        ReceiverAfterOwnerCommitted,

        /// <summary>Board 2 crashes after journalling its accept, before the accept left: board 1 aborts at the deadline.</summary>
        ReceiverBeforeAcceptLeft,

        /// <summary>Board 1 crashes after journalling its offer, before it left: the restarted board resends it.</summary>
        OwnerBeforeOfferLeft,
    }

    [Theory]
    [InlineData(Crash.ReceiverAfterOwnerCommitted)]
    [InlineData(Crash.ReceiverBeforeAcceptLeft)]
    [InlineData(Crash.OwnerBeforeOfferLeft)]
    public void A_board_restarted_mid_transfer_loses_and_duplicates_no_unit_and_both_ledgers_agree(Crash crash)
    {
        using var dir = new TempDir();
        using var log = new StringWriter();
        (FirmwareConfig c1, FirmwareConfig c2, var (group, port), MarketClock market) = Setup(dir, receiverHoldsContract: true);
        ContractDemoBoard b1 = new(c1, market, group, port, EurPerKwh, DecideWindowMs, log);
        ContractDemoBoard b2 = new(c2, market, group, port, EurPerKwh, DecideWindowMs, log);
        try
        {
            Link(b1, b2);
            double queued1 = b1.Queued(Batch), queued2 = b2.Queued(Batch);
            Assert.True(queued1 > 6 && queued2 > 0, $"queues {queued1} {queued2}");
            Until(() => b1.Host!.Agreements[0].State == ContractState.Active && b2.Host!.Agreements[0].State == ContractState.Active, b1, b2, "both contracts active");

            switch (crash)
            {
                case Crash.ReceiverAfterOwnerCommitted:
                    // Board 1 offers; board 2 prepares and accepts; board 1 commits; board 2 is gone before it hears it.
                    b1.Pump(digests: false, decide: true);
                    Until(() => Has(b2, ContractJournalKind.Prepared), null, b2, "board 2 prepared", b1);
                    Until(() => Has(b1, ContractJournalKind.Committed), b1, null, "board 1 committed");
                    b2.Dispose();
                    b2 = new ContractDemoBoard(c2, market, group, port, EurPerKwh, DecideWindowMs, log);
                    break;
                case Crash.ReceiverBeforeAcceptLeft:
                    b1.Pump(digests: false, decide: true);
                    var watch = Stopwatch.StartNew();
                    while (!Has(b2, ContractJournalKind.Prepared))
                    {
                        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "board 2 never prepared");
                        b2.PumpUntilFlush(() => Has(b2, ContractJournalKind.Prepared));
                        b1.Pump(digests: false, decide: false);
                    }
                    b2.Dispose(); // the accept never left
                    Thread.Sleep((int)DecideWindowMs + 200);
                    b1.Pump(digests: false, decide: false); // the decide-by deadline: board 1 aborts and keeps its units
                    Assert.True(Has(b1, ContractJournalKind.Aborted), string.Join(", ", b1.Host!.Exchange.Transfers) + " / " + string.Join(", ", b1.Journal!.ReadAll()));
                    b2 = new ContractDemoBoard(c2, market, group, port, EurPerKwh, DecideWindowMs, log);
                    break;
                default:
                    Assert.False(b1.PumpUntilFlush(() => Has(b1, ContractJournalKind.Offered), decide: true), "board 1 offered nothing");
                    b1.Dispose(); // the offer never left
                    b1 = new ContractDemoBoard(c1, market, group, port, EurPerKwh, DecideWindowMs, log);
                    break;
            }

            Link(b1, b2);
            Until(() => Settled(b1, b2), b1, b2, "every transfer resolved on both sides");
            output.WriteLine(log.ToString());

            ContractLedgerEntry l1 = b1.Host!.Exchange.Ledger(new NodeId(2)), l2 = b2.Host!.Exchange.Ledger(new NodeId(1));
            Assert.True(l1.AgreesWith(l2), $"ledgers {l1} / {l2}");
            long moved = l1.UnitsOut;
            if (crash == Crash.ReceiverBeforeAcceptLeft)
            {
                Assert.Equal(0, moved);
            }
            else
            {
                Assert.True(moved > 0, "nothing moved");
            }
            // Exactly the committed units left board 1's queue and joined board 2's: none run twice, none lost.
            Assert.Equal(queued1 - moved, b1.Queued(Batch), 6);
            Assert.Equal(queued2 + moved, b2.Queued(Batch), 6);
            Assert.Equal(moved, b1.Host!.Agreements[0].UnitsOut);
            Assert.Equal(moved, b2.Host!.Agreements[0].UnitsIn);
            Assert.Equal(l1.PaidMicros / 1e6, b1.Host!.Agreements[0].PaymentsOut, 6);
        }
        finally
        {
            b1.Dispose();
            b2.Dispose();
        }
    }

    [Fact]
    public void A_contract_the_partner_does_not_hold_is_reported_unmatched_once_and_never_used()
    {
        using var dir = new TempDir();
        using var log = new StringWriter();
        (FirmwareConfig c1, FirmwareConfig c2, var (group, port), MarketClock market) = Setup(dir, receiverHoldsContract: false);
        using var b1 = new ContractDemoBoard(c1, market, group, port, EurPerKwh, DecideWindowMs, log);
        using var b2 = new ContractDemoBoard(c2, market, group, port, EurPerKwh, DecideWindowMs, log);
        Link(b1, b2);
        double queued1 = b1.Queued(Batch);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            b1.Pump(digests: watch.ElapsedMilliseconds % 500 < 10, decide: true);
            b2.Pump(digests: watch.ElapsedMilliseconds % 500 < 10, decide: true);
        }
        output.WriteLine(log.ToString());
        Assert.Equal(ContractState.Unmatched, b1.Host!.Agreements[0].State);
        Assert.Equal(0, b1.Host!.Exchange.Counters.OffersSent);
        Assert.Empty(b1.Journal!.ReadAll());
        Assert.Equal(queued1, b1.Queued(Batch));
        string[] reports = [.. log.ToString().Split('\n').Where(l => l.Contains("contract with node 2 is unmatched", StringComparison.Ordinal))];
        Assert.Single(reports);
    }

    private static bool Has(ContractDemoBoard b, ContractJournalKind kind) => b.Journal!.ReadAll().Any(r => r.Kind == kind);

    private static bool Settled(ContractDemoBoard owner, ContractDemoBoard receiver) =>
        owner.Host!.Exchange.Transfers.Any()
        && owner.Host!.Exchange.Transfers.All(t => t.State is TransferState.Committed or TransferState.Aborted)
        && receiver.Host!.Exchange.Transfers.All(t => t.State is TransferState.Committed or TransferState.Aborted)
        && owner.Host!.Exchange.Transfers.Where(t => t.State == TransferState.Committed).Select(t => t.Id)
            .SequenceEqual(receiver.Host!.Exchange.Transfers.Where(t => t.State == TransferState.Committed).Select(t => t.Id));

    private static void Link(ContractDemoBoard b1, ContractDemoBoard b2)
    {
        b1.AddPeer(2, b2.EndPoint);
        b2.AddPeer(1, b1.EndPoint);
    }

    private static void Until(Func<bool> done, ContractDemoBoard? a, ContractDemoBoard? b, string what, ContractDemoBoard? also = null)
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

    private static (FirmwareConfig, FirmwareConfig, (IPAddress, int), MarketClock) Setup(TempDir dir, bool receiverHoldsContract)
    {
        TestSigning.Write(dir.Path, "signing1.key");
        TestSigning.Write(dir.Path, "signing2.key");
        dir.SecretFile("k", Key);
        string pk1 = TestSigning.PublicKeyOf(Path.Combine(dir.Path, "signing1.key"));
        string pk2 = TestSigning.PublicKeyOf(Path.Combine(dir.Path, "signing2.key"));
        string contract1 = """{ "id": 5, "partner": 2, "priceMin": 0.02, "priceMax": 0.5, "classesOut": ["batch"], "maxUnitsPerHour": 6, "migrationCostPerUnit": 0.01, "validFrom": "2020-01-01T00:00:00Z", "validUntil": "2100-01-01T00:00:00Z" }""";
        string contract2 = """{ "id": 5, "partner": 1, "priceMin": 0.02, "priceMax": 0.5, "classesIn": ["batch"], "maxUnitsPerHour": 6, "migrationCostPerUnit": 0.01, "validFrom": "2020-01-01T00:00:00Z", "validUntil": "2100-01-01T00:00:00Z" }""";
        FirmwareConfig c1 = Load(dir, 1, 2, pk2, 500, contract1);
        FirmwareConfig c2 = Load(dir, 2, 1, pk1, 150, receiverHoldsContract ? contract2 : "");
        var market = new MarketClock(MarketStart, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1);
        return (c1, c2, TransportTests.FreshGroup(), market);
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
