using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Wire;
using EdgeGovernor.TestSupport;

namespace EdgeGovernor.Firmware.Tests.Contracts;

/// <summary>Compaction of the contract journal file: the compacted file restores the same ledgers, sequence and open
/// transfers; a temporary file a crashed rewrite left is removed; a journal that cannot shrink refuses new transfers
/// instead of failing an append.</summary>
public sealed class ContractJournalCompactionTests : IDisposable
{
    private const long T0 = 1_717_200_000_000;
    private const uint Self = 1;
    private const uint Partner = 2;

    private readonly Ed25519Signer _signer = new(new byte[Ed25519Signer.SeedSize]);
    private readonly SigningRoster _roster = new();
    private readonly ContractExchangeOptions _options = new() { Self = new NodeId(Self), ClusterId = 9, RetainFinishedMs = 60_000 };

    public void Dispose() => _signer.Dispose();

    /// <summary>The owner's records of <paramref name="count"/> settled transfers (sequences from 1) run by <paramref name="runByMs"/>.</summary>
    private static IEnumerable<ContractJournalRecord> Settled(int count, long runByMs, ulong firstSequence = 1)
    {
        for (int i = 0; i < count; i++)
        {
            var offer = new ContractOffer(new TransferId(new NodeId(Self), firstSequence + (ulong)i), 11, 0, (uint)(1 + (i % 40)), 10_000, runByMs - 3_600_000, runByMs);
            var partner = new NodeId(Partner);
            yield return new ContractJournalRecord(ContractJournalKind.Offered, ContractRole.Owner, partner, offer);
            yield return new ContractJournalRecord(ContractJournalKind.Committed, ContractRole.Owner, partner, offer);
            yield return new ContractJournalRecord(ContractJournalKind.Settled, ContractRole.Owner, partner, offer, offer.Units - 1);
        }
    }

    private ContractExchange Restore(ContractFileJournal journal, long nowMs) => new(_options, _signer, _roster, journal.ReadAll(), nowMs);

    [Fact]
    public void A_compacted_file_restores_the_same_ledgers_sequence_and_open_transfers_and_appends_continue()
    {
        using var dir = new TempDir();
        long runBy = T0 + 7_200_000;
        var open = new ContractOffer(new TransferId(new NodeId(Self), 301), 11, 0, 5, 10_000, T0 + 86_400_000, T0 + 90_000_000);
        using (var journal = new ContractFileJournal(dir.Path, Self))
        {
            journal.Replace([.. Settled(300, runBy)]);
            journal.Append(new ContractJournalRecord(ContractJournalKind.Offered, ContractRole.Owner, new NodeId(Partner), open));
        }

        ContractLedgerEntry ledger;
        long before;
        using (var journal = new ContractFileJournal(dir.Path, Self))
        {
            before = journal.Bytes;
            ContractExchange exchange = Restore(journal, runBy + 60_000);
            ledger = exchange.Ledger(new NodeId(Partner));
            var compacted = new List<ContractJournalRecord>();
            Assert.Equal(300, exchange.Compact(runBy + 60_000, compacted));
            journal.Replace(compacted);
            Assert.Equal(3L * (ContractJournalFile.HeaderBytes + ContractJournalRecord.Size), journal.Bytes); // two carries + the open offer
            journal.Append(new ContractJournalRecord(ContractJournalKind.Committed, ContractRole.Owner, new NodeId(Partner), open));
        }

        using var reopened = new ContractFileJournal(dir.Path, Self);
        Assert.True(reopened.Bytes < before / 100);
        ContractExchange restored = Restore(reopened, runBy + 60_000);
        Assert.Equal(300UL + 1, restored.LastSequence);
        Assert.Equal(ledger with { UnitsOut = ledger.UnitsOut + 5, PaidMicros = ledger.PaidMicros + 50_000 }, restored.Ledger(new NodeId(Partner)));
        Assert.True(restored.TryGetTransfer(open.Transfer, out ContractTransfer t));
        Assert.Equal(TransferState.Committed, t.State);
    }

    [Fact]
    public void A_temporary_file_left_by_a_rewrite_that_crashed_before_its_rename_is_removed_and_the_old_journal_loads_whole()
    {
        using var dir = new TempDir();
        ContractJournalRecord[] records = [.. Settled(3, T0 + 7_200_000)];
        string temporary;
        using (var journal = new ContractFileJournal(dir.Path, Self))
        {
            foreach (ContractJournalRecord r in records)
            {
                journal.Append(r);
            }
            temporary = journal.File.TemporaryPath;
        }
        File.WriteAllBytes(temporary, [0, 0, 0, 51, 1, 2]); // a half-written compaction

        using var reopened = new ContractFileJournal(dir.Path, Self);
        Assert.Equal(records, reopened.ReadAll());
        Assert.True(reopened.File.RemovedTemporary);
        Assert.False(File.Exists(temporary));
    }

    [Fact]
    public void The_compactor_compacts_a_journal_over_half_its_capacity_and_keeps_the_ledger()
    {
        using var dir = new TempDir();
        int transfers = (int)(ContractJournalFile.MaxFileBytes / 2 / (3 * (ContractJournalFile.HeaderBytes + ContractJournalRecord.Size))) + 10;
        long runBy = T0 + 7_200_000;
        using var journal = new ContractFileJournal(dir.Path, Self);
        journal.Replace([.. Settled(transfers, runBy)]);
        Assert.True(journal.Bytes > ContractJournalFile.MaxFileBytes / 2);
        long now = runBy + 60_000;
        ContractExchange exchange = Restore(journal, now);
        ContractLedgerEntry ledger = exchange.Ledger(new NodeId(Partner));
        var log = new StringWriter();
        var compactor = new ContractJournalCompactor(new Logger("t", LogLevel.Debug, log), now);
        long before = journal.Bytes;

        Assert.Null(compactor.Maintain(journal, exchange, now));

        Assert.Equal(1, compactor.Compactions);
        Assert.Equal(2L * (ContractJournalFile.HeaderBytes + ContractJournalRecord.Size), journal.Bytes);
        Assert.Equal(transfers, compactor.TransfersForgotten);
        Assert.Equal(before - journal.Bytes, compactor.BytesReclaimed);
        Assert.True(compactor.HasRoomForNewTransfer(journal, exchange.OpenTransfers));
        Assert.Contains("journal compacted", log.ToString(), StringComparison.Ordinal);
        using var reopened = new ContractFileJournal(dir.Path, Self);
        Assert.Equal(ledger, Restore(reopened, now).Ledger(new NodeId(Partner)));
        Assert.Equal((ulong)transfers, Restore(reopened, now).LastSequence);
    }

    [Fact]
    public void A_full_journal_that_cannot_shrink_refuses_new_transfers_and_counts_the_failed_compaction_instead_of_throwing()
    {
        using var dir = new TempDir();
        int frame = ContractJournalFile.HeaderBytes + ContractJournalRecord.Size;
        int transfers = (int)(ContractJournalFile.MaxFileBytes / (3 * frame)); // as many as fit: no room for a carry pair
        Assert.True(ContractJournalFile.MaxFileBytes - (transfers * 3L * frame) < 2 * frame);
        long runBy = T0 + 7_200_000;
        using var journal = new ContractFileJournal(dir.Path, Self);
        journal.Replace([.. Settled(transfers, runBy)]);
        long now = T0; // every transfer is still within its retention: nothing can be forgotten
        ContractExchange exchange = Restore(journal, now);
        var log = new StringWriter();
        var compactor = new ContractJournalCompactor(new Logger("t", LogLevel.Debug, log), now);
        long bytes = journal.Bytes;

        compactor.Maintain(journal, exchange, now); // the compacted journal (two carries more) would not fit
        Assert.Equal(1, compactor.Failures);
        Assert.Equal(bytes, journal.Bytes);
        Assert.Contains("compaction failed", log.ToString(), StringComparison.Ordinal);

        Assert.False(compactor.HasRoomForNewTransfer(journal, exchange.OpenTransfers));
        Assert.False(compactor.HasRoomForNewTransfer(journal, exchange.OpenTransfers));
        Assert.Equal(2, compactor.Refusals);
        Assert.Single(log.ToString().Split('\n'), l => l.Contains("journal is full", StringComparison.Ordinal)); // logged once in a row

        using var reopened = new ContractFileJournal(dir.Path, Self);
        Assert.Equal(3 * transfers, reopened.ReadAll().Count); // the old journal, whole
    }

    [Fact]
    public void A_compaction_whose_rewrite_fails_with_an_io_error_is_counted_and_returned_for_the_host_to_halt_on()
    {
        using var dir = new TempDir();
        string state = Path.Combine(dir.Path, "state");
        long runBy = T0 + 7_200_000;
        using var journal = new ContractFileJournal(state, Self);
        journal.Replace([.. Settled(3, runBy)]);
        long now = runBy + 60_000;
        ContractExchange exchange = Restore(journal, now);
        var log = new StringWriter();
        var compactor = new ContractJournalCompactor(new Logger("t", LogLevel.Debug, log), now - ContractJournalCompactor.PeriodMs); // due
        Directory.Delete(state, recursive: true);
        File.WriteAllText(state, "a file where the state directory was"); // (a removed directory alone is made again by the rewrite)

        Exception? failed = compactor.Maintain(journal, exchange, now);

        Assert.Contains("rewriting it failed", Assert.IsType<IOException>(failed).Message, StringComparison.Ordinal);
        Assert.Equal(1, compactor.Failures);
        Assert.Equal(0, compactor.Compactions);
        Assert.Equal("", log.ToString()); // the host logs the halt, once
    }
}
