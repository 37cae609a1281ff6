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
                default:
                    Assert.False(b1.PumpUntilFlush(() => Has(b1, ContractJournalKind.Offered), decide: true), "board 1 offered nothing");
                    b1.Dispose(); // the offer never left
                    b1 = new ContractDemoBoard(c1, market, group, port, EurPerKwh, DecideWindowMs, log);
                    break;
            }

            Link(b1, b2);
            Until(() => Settled(b1, b2), b1, b2, "every transfer resolved on both sides");
            output.WriteLine(log.ToString());

            long moved = AssertEveryUnitOnce(b1, b2, queued1, queued2);
            if (crash == Crash.ReceiverBeforeAcceptLeft)
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
    public void A_receiver_down_across_the_run_by_deadline_reports_the_transfer_done_at_its_restart_with_every_unit_missed()
    {
        using var dir = new TempDir();
        using var log = new StringWriter();
        // Four market hours per wall second: the run-by deadline (within the day) passes while board 2 is down.
        (FirmwareConfig c1, FirmwareConfig c2, var (group, port), MarketClock market) = Setup(dir, receiverHoldsContract: true, acceleration: 14_400);
        ContractDemoBoard b1 = new(c1, market, group, port, EurPerKwh, DecideWindowMs, log);
        ContractDemoBoard b2 = new(c2, market, group, port, EurPerKwh, DecideWindowMs, log);
        try
        {
            Link(b1, b2);
            double queued1 = b1.Queued(Batch), queued2 = b2.Queued(Batch);
            UntilBothActive(b1, b2);
            b1.Pump(digests: false, decide: true);
            Until(() => Has(b2, ContractJournalKind.Committed), b1, b2, "board 2 committed");
            ContractTransfer sent = Assert.Single(b1.Host!.Exchange.Transfers);
            Assert.Equal(TransferState.Committed, sent.State);
            Assert.False(Has(b2, ContractJournalKind.Done)); // still before the deadline: the units wait in board 2's queue

            b2.Dispose(); // down after the commit, across the run-by deadline
            var down = Stopwatch.StartNew();
            while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < sent.Offer.RunByMs + 1_000)
            {
                Assert.True(down.Elapsed < TimeSpan.FromSeconds(30), "the run-by deadline is too far ahead");
                b1.Pump(digests: false, decide: false);
            }
            b2 = new ContractDemoBoard(c2, market, group, port, EurPerKwh, DecideWindowMs, log);
            Link(b1, b2);
            b2.Pump(digests: false, decide: false);

            // Reported done at its first step, as at the deadline: none of its units ran here (they never rejoined the
            // rack after the crash), so every one is counted as left.
            ContractJournalRecord done = Assert.Single(b2.Journal!.ReadAll(), r => r.Kind == ContractJournalKind.Done);
            Assert.Equal(0u, done.UnitsRun);
            Until(() => b1.Host.Exchange.TryGetTransfer(sent.Id, out ContractTransfer o) && o.State == TransferState.Settled
                && b2.Host!.Exchange.TryGetTransfer(sent.Id, out ContractTransfer r) && r.State == TransferState.Closed, b1, b2, "the owner's transfer settled");
            output.WriteLine(log.ToString());

            Assert.True(b1.Host.Exchange.TryGetTransfer(sent.Id, out ContractTransfer settled));
            Assert.Equal(0u, settled.UnitsRun);
            Assert.Equal(0, b1.Host.Exchange.OpenTransfers);
            Assert.Equal(0, b2.Host!.Exchange.OpenTransfers);
            ContractLedgerEntry l1 = b1.Host.Exchange.Ledger(new NodeId(2)), l2 = b2.Host.Exchange.Ledger(new NodeId(1));
            Assert.True(l1.AgreesWith(l2), $"ledgers {l1} / {l2}");
            Assert.Equal(sent.Offer.Units, (ulong)l1.UnitsOut);
            Assert.Equal(0, l1.UnitsRunByPartner);
            Assert.Equal(queued1 - sent.Offer.Units, b1.Queued(Batch), 6); // left board 1 once, never came back
            Assert.Equal(queued2, b2.Queued(Batch), 6); // past their deadline: not queued on the restarted board
            Assert.Equal(l1.UnitsOut, b1.Host.Agreements[0].UnitsOut);
            Assert.Equal(l1.UnitsOut, b2.Host.Agreements[0].UnitsIn);
        }
        finally
        {
            b1.Dispose();
            b2.Dispose();
        }
    }

    [Fact]
    public void An_owner_down_past_its_offers_decide_by_deadline_aborts_it_at_its_restart_and_keeps_the_units()
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
            UntilBothActive(b1, b2);
            Assert.False(b1.PumpUntilFlush(() => Has(b1, ContractJournalKind.Offered), decide: true), "board 1 offered nothing");
            b1.Dispose(); // the offer never left; board 1 is down past its decide-by deadline
            Thread.Sleep((int)DecideWindowMs + 200);
            b1 = new ContractDemoBoard(c1, market, group, port, EurPerKwh, DecideWindowMs, log);
            Link(b1, b2);
            b1.Pump(digests: false, decide: false);

            Assert.True(Has(b1, ContractJournalKind.Aborted), "not aborted at the restart"); // at its first step
            Assert.Equal(1, b1.Host!.Exchange.Counters.DeadlineAborts);
            Until(() => Settled(b1, b2), b1, b2, "every transfer resolved on both sides");
            output.WriteLine(log.ToString());
            Assert.Equal(0, AssertEveryUnitOnce(b1, b2, queued1, queued2));
            Assert.Empty(b2.Journal!.ReadAll());
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
