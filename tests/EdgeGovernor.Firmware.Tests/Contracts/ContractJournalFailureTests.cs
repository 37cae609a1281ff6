using System.Diagnostics;
using System.Text.Json;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Demo;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.TestSupport;
using Xunit.Abstractions;
using static EdgeGovernor.Firmware.Tests.Contracts.ContractBoards;

namespace EdgeGovernor.Firmware.Tests.Contracts;

/// <summary>
/// A contract journal that cannot be written halts the board's contracts alone: the board keeps running, nothing that
/// depends on the lost record leaves, the halt shows in /metrics, /status and <c>edgegov status</c>, contract messages
/// are dropped while halted, and once the journal is back the board rebuilds its transfers from it and every unit still
/// moves exactly once (two boards over real UDP, the checker of <see cref="ContractExchangeProcessTests"/>).
/// </summary>
public sealed class ContractJournalFailureTests(ITestOutputHelper output)
{
    /// <summary>Long enough for the owner to repeat its offer (every 2 s) to a halted receiver before it decides.</summary>
    private const long Window = 6_000;

    public enum Failure
    {
        /// <summary>Board 1's offer record fails before it reaches the file: the offer never leaves, its units come back.</summary>
        OwnerOffered,

        /// <summary>Board 1's commit record reaches the file but the sync reports EIO: the commit leaves only after the recovery.</summary>
        OwnerCommittedOnDisk,

        /// <summary>Board 2's prepared record fails: the accept never leaves; board 1's repeated offers are dropped.</summary>
        ReceiverPrepared,

        /// <summary>Board 2's prepared record reaches the file, the sync fails: the accept leaves only after the recovery.</summary>
        ReceiverPreparedOnDisk,

        /// <summary>Board 2's commit record fails: the units do not join its rack until the rebuilt board learns the commit again.</summary>
        ReceiverCommitted,

        /// <summary>Board 2's commit record reaches the file, the sync fails: the rebuilt board finds the commit and the units join its rack once.</summary>
        ReceiverCommittedOnDisk,
    }

    [Theory]
    [InlineData(Failure.OwnerOffered)]
    [InlineData(Failure.OwnerCommittedOnDisk)]
    [InlineData(Failure.ReceiverPrepared)]
    [InlineData(Failure.ReceiverPreparedOnDisk)]
    [InlineData(Failure.ReceiverCommitted)]
    [InlineData(Failure.ReceiverCommittedOnDisk)]
    public void A_journal_write_failure_halts_the_contracts_alone_and_after_the_recovery_every_unit_moves_once(Failure failure)
    {
        bool owner = failure is Failure.OwnerOffered or Failure.OwnerCommittedOnDisk;
        ContractJournalKind kind = failure switch
        {
            Failure.OwnerOffered => ContractJournalKind.Offered,
            Failure.OwnerCommittedOnDisk or Failure.ReceiverCommitted or Failure.ReceiverCommittedOnDisk => ContractJournalKind.Committed,
            _ => ContractJournalKind.Prepared,
        };
        var fault = new JournalFault(kind, onDisk: failure is Failure.OwnerCommittedOnDisk or Failure.ReceiverPreparedOnDisk or Failure.ReceiverCommittedOnDisk);
        using var dir = new TempDir();
        using var log = new StringWriter();
        (FirmwareConfig c1, FirmwareConfig c2, var (group, port), MarketClock market) = Setup(dir, receiverHoldsContract: true);
        using var b1 = new ContractDemoBoard(c1, market, group, port, EurPerKwh, Window, log, owner ? fault.Opener(c1) : null);
        using var b2 = new ContractDemoBoard(c2, market, group, port, EurPerKwh, Window, log, owner ? null : fault.Opener(c2));
        ContractDemoBoard failing = owner ? b1 : b2;
        Link(b1, b2);
        double queued1 = b1.Queued(Batch), queued2 = b2.Queued(Batch);
        UntilBothActive(b1, b2);

        b1.Pump(digests: false, decide: true);
        Until(() => fault.Failed, b1, b2, "the journal failure"); // pumping the failing board does not throw
        Assert.True(failing.Host!.Halted);
        Assert.True(failing.Host.Health.Halted);
        Assert.Equal(1, failing.Host.Health.Failures);
        Assert.Contains("EIO", failing.Host.Health.Error, StringComparison.Ordinal);
        Assert.Single(log.ToString().Split('\n'), l => l.Contains("contracts halted", StringComparison.Ordinal));
        AssertShowsHalted(failing.Host, halted: true);

        // The disk stays broken for 1.5 s: the first reopening (after 1 s) fails and says so. Board 1 keeps offering.
        long offersSent = b1.Host!.Exchange.Counters.OffersSent;
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < 1_500)
        {
            b1.Pump(digests: false, decide: true);
            b2.Pump(digests: false, decide: false);
            Assert.True(failing.Host.Halted);
            switch (failure)
            {
                case Failure.OwnerOffered:
                    Assert.Empty(b2.Journal!.ReadAll()); // the offer never left
                    Assert.Equal(0, b2.Host!.Exchange.Counters.OffersJudged);
                    break;
                case Failure.OwnerCommittedOnDisk:
                    Assert.False(Has(b2, ContractJournalKind.Committed)); // the commit never left
                    break;
                case Failure.ReceiverPrepared or Failure.ReceiverPreparedOnDisk:
                    Assert.False(Has(b1, ContractJournalKind.Committed)); // the accept never left
                    break;
                default:
                    Assert.Equal(queued2, b2.Queued(Batch)); // the units did not join the rack
                    break;
            }
        }
        if (owner)
        {
            Assert.Equal(offersSent, b1.Host.Exchange.Counters.OffersSent); // a halted board starts no transfer
        }
        else
        {
            Assert.Equal(1, b2.Host!.Exchange.Counters.OffersJudged); // board 1's repeated offer is not answered
        }
        Assert.Contains("contracts still halted", log.ToString(), StringComparison.Ordinal);

        fault.Heal();
        Until(() => !failing.Host.Halted, b1, b2, "the recovery");
        Assert.Equal(1, failing.Host.Health.Recoveries);
        if (kind == ContractJournalKind.Prepared)
        {
            Assert.True(b2.Host!.Health.DroppedWhileHalted > 0, "board 1's offer, repeated after 2 s, was not dropped by the halted board");
        }
        AssertShowsHalted(failing.Host, halted: false);
        Until(() => Settled(b1, b2, anyTransfer: false), b1, b2, "every transfer resolved on both sides");
        output.WriteLine(log.ToString());

        long moved = AssertEveryUnitOnce(b1, b2, queued1, queued2);
        if (failure is Failure.OwnerOffered)
        {
            Assert.Equal(0, moved); // the offer never happened: its units are board 1's again
        }
        else if (failure is Failure.OwnerCommittedOnDisk or Failure.ReceiverCommitted or Failure.ReceiverCommittedOnDisk)
        {
            Assert.True(moved > 0, "the commit was lost");
        }
    }

    [Fact]
    public void A_journal_whose_directory_is_moved_away_halts_the_contracts_until_it_is_back_and_no_unit_is_lost()
    {
        using var dir = new TempDir();
        using var log = new StringWriter();
        (FirmwareConfig c1, FirmwareConfig c2, var (group, port), MarketClock market) = Setup(dir, receiverHoldsContract: true);
        using var b1 = new ContractDemoBoard(c1, market, group, port, EurPerKwh, Window, log);
        using var b2 = new ContractDemoBoard(c2, market, group, port, EurPerKwh, Window, log);
        Link(b1, b2);
        double queued1 = b1.Queued(Batch), queued2 = b2.Queued(Batch);
        UntilBothActive(b1, b2);

        string away = c1.StateDirectory + ".away";
        Directory.Move(c1.StateDirectory, away); // the open file is still writable, but a restart would not find it
        b1.Pump(digests: false, decide: true);
        Assert.True(b1.Host!.Halted);
        Assert.Contains("contracts-1.journal", b1.Host.Health.Error, StringComparison.Ordinal);
        Assert.Contains("removed", b1.Host.Health.Error, StringComparison.Ordinal);
        Assert.True(b1.Queued(Batch) < queued1); // the offered units are held back while the outcome is unknown

        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < 1_500)
        {
            b1.Pump(digests: false, decide: true);
            b2.Pump(digests: false, decide: false);
        }
        Assert.True(b1.Host.Halted);
        Assert.Equal(0, b2.Host!.Exchange.Counters.OffersJudged); // the offer never left
        Assert.Contains("is gone", log.ToString(), StringComparison.Ordinal); // no new empty journal is made
        Assert.False(File.Exists(Path.Combine(c1.StateDirectory, "contracts-1.journal")));

        Directory.Move(away, c1.StateDirectory);
        Until(() => !b1.Host.Halted, b1, b2, "the recovery");
        Assert.Equal(ContractJournalKind.Offered, Assert.Single(b1.Journal!.ReadAll()).Kind); // the record written to the moved file
        Until(() => Settled(b1, b2), b1, b2, "every transfer resolved on both sides");
        output.WriteLine(log.ToString());
        AssertEveryUnitOnce(b1, b2, queued1, queued2);
    }

    [Fact]
    public void A_receiver_that_recovers_its_journal_after_the_run_by_deadline_reports_the_transfer_done_with_every_unit_missed()
    {
        // Board 2's commit record reaches the file but the sync fails: the units never join its rack, and the disk
        // stays broken until the run-by deadline has passed (four market hours per wall second).
        var fault = new JournalFault(ContractJournalKind.Committed, onDisk: true);
        using var dir = new TempDir();
        using var log = new StringWriter();
        (FirmwareConfig c1, FirmwareConfig c2, var (group, port), MarketClock market) = Setup(dir, receiverHoldsContract: true, acceleration: 14_400);
        using var b1 = new ContractDemoBoard(c1, market, group, port, EurPerKwh, Window, log);
        using var b2 = new ContractDemoBoard(c2, market, group, port, EurPerKwh, Window, log, fault.Opener(c2));
        Link(b1, b2);
        double queued1 = b1.Queued(Batch), queued2 = b2.Queued(Batch);
        UntilBothActive(b1, b2);

        b1.Pump(digests: false, decide: true);
        Until(() => fault.Failed, b1, b2, "the journal failure");
        Assert.True(b2.Host!.Halted);
        ContractTransfer sent = Assert.Single(b1.Host!.Exchange.Transfers);
        Assert.Equal(TransferState.Committed, sent.State);
        PumpPast(sent.Offer.RunByMs, b1); // board 2 is not stepped: its first retry comes after the healing
        Assert.Equal(queued2, b2.Queued(Batch));

        fault.Heal();
        Until(() => !b2.Host.Halted, b1, b2, "the recovery");
        // The step that recovered reported it done, as at the deadline: none of its units ran here.
        Assert.True(Has(b2, ContractJournalKind.Done), "not reported done at the recovery");
        AssertReportedMissed(b1, b2, sent, queued1, queued2);
        output.WriteLine(log.ToString());
    }

    private static void AssertShowsHalted(ContractHost host, bool halted)
    {
        var w = new PrometheusWriter();
        ContractMetrics.Write(w, host.Agreements, host.Health);
        string metrics = w.ToString();
        Assert.Contains($"edgegov_contract_journal_halted {(halted ? 1 : 0)}\n", metrics, StringComparison.Ordinal);
        Assert.Contains("edgegov_contract_journal_failures_total 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE edgegov_contract_journal_compactions_total counter", metrics, StringComparison.Ordinal);

        var status = new NodeStatus { Contracts = ContractMetrics.Status(host.Agreements), ContractJournal = ContractMetrics.JournalStatus(host.Health) };
        NodeStatus back = JsonSerializer.Deserialize(JsonSerializer.Serialize(status, StatusJsonContext.Default.NodeStatus), StatusJsonContext.Default.NodeStatus)!;
        Assert.Equal(halted, back.ContractJournal!.Halted);
        Assert.Contains("EIO", back.ContractJournal.Error, StringComparison.Ordinal);
        string table = StatusClient.Format(back);
        if (halted)
        {
            Assert.Contains("contracts HALTED: the contract journal cannot be written", table, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("HALTED", table, StringComparison.Ordinal);
            Assert.Contains("1 write failures, 1 recoveries", table, StringComparison.Ordinal);
        }
    }

    /// <summary>The disk under a board's journal: the first append of <c>kind</c> fails with EIO (after the record reached
    /// the file when <c>onDisk</c>: a sync that failed), and every append and reopening fails until <see cref="Heal"/>.</summary>
    private sealed class JournalFault(ContractJournalKind kind, bool onDisk)
    {
        private bool _broken;

        public bool Failed { get; private set; }

        public void Heal() => _broken = false;

        public ContractJournalOpen Opener(FirmwareConfig config) => reopening =>
        {
            if (_broken)
            {
                throw new IOException("contract journal (test disk): Input/output error (EIO)");
            }
            return new Journal(new ContractFileJournal(config.StateDirectory, config.NodeId, mustExist: reopening), this);
        };

        // True when this append fails; writeFirst: its record reaches the file first (the append that broke the disk, when onDisk).
        private bool Fails(ContractJournalKind appended, out bool writeFirst)
        {
            writeFirst = false;
            if (!Failed && appended == kind)
            {
                Failed = _broken = true;
                writeFirst = onDisk;
            }
            return _broken;
        }

        private sealed class Journal(ContractFileJournal file, JournalFault fault) : IContractJournal, IDisposable
        {
            public long Bytes => file.Bytes;

            public long CapacityBytes => file.CapacityBytes;

            public void Append(in ContractJournalRecord record)
            {
                if (fault.Fails(record.Kind, out bool writeFirst))
                {
                    if (writeFirst)
                    {
                        file.Append(record);
                    }
                    throw new IOException($"contract journal '{file.File.FilePath}': appending a record failed: Input/output error (EIO)");
                }
                file.Append(record);
            }

            public IReadOnlyList<ContractJournalRecord> ReadAll() => file.ReadAll();

            public void Replace(IReadOnlyList<ContractJournalRecord> records)
            {
                if (fault._broken)
                {
                    throw new IOException($"contract journal '{file.File.FilePath}': rewriting it failed: Input/output error (EIO)");
                }
                file.Replace(records);
            }

            public void Dispose() => file.Dispose();
        }
    }
}
