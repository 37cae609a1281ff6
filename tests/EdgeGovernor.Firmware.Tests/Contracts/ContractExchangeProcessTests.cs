using System.Diagnostics;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Demo;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.TestSupport;
using Xunit.Abstractions;
using static EdgeGovernor.Firmware.Tests.Contracts.ContractBoards;

namespace EdgeGovernor.Firmware.Tests.Contracts;

/// <summary>
/// Two boards in-process over the real UDP unicast path: board 1's rack (power-hungry servers) sends batch units to
/// board 2's (frugal servers) under their contract. Each unit moves exactly once when either board crashes in the middle
/// of a transfer and restarts from its journal; a contract only one side holds is never used.
/// </summary>
public sealed class ContractExchangeProcessTests(ITestOutputHelper output)
{
    public enum Crash
    {
        /// <summary>Board 2 crashes after board 1 committed, before the commit reached it: it asks for the outcome on restart.</summary>
        ReceiverAfterOwnerCommitted,

        /// <summary>Board 2 crashes after journalling its accept, before the accept left: board 1 aborts at the deadline.</summary>
        ReceiverBeforeAcceptLeft,

        /// <summary>Board 1 crashes after journalling its offer, before it left: the restarted board resends it.</summary>
        OwnerBeforeOfferLeft,

        /// <summary>Board 1 crashes after journalling its offer, before it left, and is down past its decide-by deadline:
        /// the restarted board aborts it at its first step and keeps the units.</summary>
        OwnerPastDecideBy,

        /// <summary>Board 2 crashes after its commit and is down past the run-by deadline: the restarted board reports
        /// it done at its first step with every unit missed (none rejoined its rack), and board 1's transfer settles.</summary>
        ReceiverPastRunBy,

        /// <summary>Board 1 crashes after journalling its offer, before it left, and is down past its run-by deadline: the
        /// restarted board aborts it at its first step, and its fresh rack, which never lost the units, does not get them
        /// a second time.</summary>
        OwnerPastRunBy,
    }

    [Theory]
    [InlineData(Crash.ReceiverAfterOwnerCommitted)]
    [InlineData(Crash.ReceiverBeforeAcceptLeft)]
    [InlineData(Crash.OwnerBeforeOfferLeft)]
    [InlineData(Crash.OwnerPastDecideBy)]
    [InlineData(Crash.ReceiverPastRunBy)]
    [InlineData(Crash.OwnerPastRunBy)]
    public void A_board_restarted_mid_transfer_loses_and_duplicates_no_unit_and_both_ledgers_agree(Crash crash)
    {
        using var dir = new TempDir();
        using var log = new StringWriter();
        // Past run-by: four market hours per wall second, so the deadline (within the day) passes while board 2 is down.
        (FirmwareConfig c1, FirmwareConfig c2, var (group, port), MarketClock market) =
            Setup(dir, receiverHoldsContract: true, acceleration: crash is Crash.ReceiverPastRunBy or Crash.OwnerPastRunBy ? 14_400 : 1);
        ContractDemoBoard b1 = new(c1, market, group, port, EurPerKwh, DecideWindowMs, log);
        ContractDemoBoard b2 = new(c2, market, group, port, EurPerKwh, DecideWindowMs, log);
        try
        {
            Link(b1, b2);
            double queued1 = b1.Queued(Batch), queued2 = b2.Queued(Batch);
            Assert.True(queued1 > 6 && queued2 > 0, $"queues {queued1} {queued2}");
            UntilBothActive(b1, b2);

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
                case Crash.ReceiverPastRunBy:
                    b1.Pump(digests: false, decide: true);
                    Until(() => Has(b2, ContractJournalKind.Committed), b1, b2, "board 2 committed");
                    ContractTransfer sent = Assert.Single(b1.Host!.Exchange.Transfers);
                    Assert.False(Has(b2, ContractJournalKind.Done)); // still before the deadline: the units wait in board 2's queue
                    b2.Dispose();
                    PumpPast(sent.Offer.RunByMs, b1);
                    b2 = new ContractDemoBoard(c2, market, group, port, EurPerKwh, DecideWindowMs, log);
                    Link(b1, b2);
                    b2.Pump(digests: false, decide: false);
                    Assert.True(Has(b2, ContractJournalKind.Done), "not reported done at the restart"); // as at the deadline
                    AssertReportedMissed(b1, b2, sent, queued1, queued2);
                    Until(() => b2.Host!.Exchange.OpenTransfers == 0 && b1.Host.Exchange.OpenTransfers == 0, b1, b2, "both transfers finished");
                    output.WriteLine(log.ToString());
                    return;
                default:
                    Assert.False(b1.PumpUntilFlush(() => Has(b1, ContractJournalKind.Offered), decide: true), "board 1 offered nothing");
                    ContractTransfer offered = Assert.Single(b1.Host!.Exchange.Transfers);
                    b1.Dispose(); // the offer never left
                    if (crash == Crash.OwnerPastDecideBy)
                    {
                        Thread.Sleep((int)DecideWindowMs + 200);
                    }
                    else if (crash == Crash.OwnerPastRunBy)
                    {
                        PumpPast(offered.Offer.RunByMs, b2);
                    }
                    b1 = new ContractDemoBoard(c1, market, group, port, EurPerKwh, DecideWindowMs, log);
                    if (crash is Crash.OwnerPastDecideBy or Crash.OwnerPastRunBy)
                    {
                        b1.Pump(digests: false, decide: false);
                        Assert.True(Has(b1, ContractJournalKind.Aborted), "not aborted at the restart"); // at its first step
                        Assert.Equal(1, b1.Host!.Exchange.Counters.DeadlineAborts);
                    }
                    break;
            }

            Link(b1, b2);
            Until(() => Settled(b1, b2), b1, b2, "every transfer resolved on both sides");
            output.WriteLine(log.ToString());

            long moved = AssertEveryUnitOnce(b1, b2, queued1, queued2);
            if (crash is Crash.ReceiverBeforeAcceptLeft or Crash.OwnerPastDecideBy or Crash.OwnerPastRunBy)
            {
                Assert.Equal(0, moved);
            }
            else
            {
                Assert.True(moved > 0, "nothing moved");
            }
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
}
