using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Contract journal files (what a crashed or stopped board left) as the firmware starts on them: the input written as board
/// 1's <c>contracts-1.journal</c> in a directory of the scratch directory, opened through <see cref="ContractFileJournal"/>
/// (frames, CRC-32C, a torn tail dropped, every record through <see cref="ContractJournalRecord.TryRead"/>), then a
/// <see cref="ContractHost"/> started on it (the exchange rebuilt from the records, the open transfers applied to the rack by
/// the first step) and one more step an hour later (the exchange's timers). A damaged file is refused with an
/// <see cref="InvalidDataException"/> naming the file, the documented result; any other exception, and a refusal that does
/// not name the file, is a finding.
/// </summary>
internal sealed class ContractJournalTarget : IFuzzTarget
{
    private string? _directory;

    public string Name => "contract-journal";

    public string Description => "contract journal files through ContractFileJournal and a ContractHost started on them";

    public void Run(ReadOnlySpan<byte> input)
    {
        _directory ??= System.IO.Directory.CreateDirectory(Path.Combine(FuzzScratch.Directory, "contract-journal")).FullName;
        string path = Path.Combine(_directory, "contracts-1.journal");
        File.WriteAllBytes(path, input.ToArray());
        ContractFileJournal journal;
        try
        {
            journal = new ContractFileJournal(_directory, 1);
        }
        catch (InvalidDataException e) when (e.Message.Contains(path, StringComparison.Ordinal))
        {
            return;
        }
        using (journal)
        {
            ContractHost host;
            try
            {
                host = ContractBoard.Start(journal);
            }
            catch (InvalidDataException e) when (e.Message.Contains(path, StringComparison.Ordinal))
            {
                return;
            }
            ContractBoard.Step(host, 1, decide: false);
            ContractBoard.Step(host, 3_600, decide: false);
            if (host.Exchange.OpenTransfers > journal.ReadAll().Count)
            {
                throw new InvalidOperationException($"{host.Exchange.OpenTransfers} open transfers from {journal.ReadAll().Count} records");
            }
        }
    }

    public IEnumerable<byte[]> Seeds()
    {
        // Written by the real code: board 1 offers board 2 four units, board 2 accepts, board 1 commits, board 2 reports
        // them done; each board's records through its own ContractFileJournal, messages carried between the exchanges.
        string directory = Path.Combine(FuzzScratch.Directory, "contract-journal-seeds");
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        var run = new ContractSeedRun(directory);
        byte[] offered = run.Offer(units: 4);
        byte[] committed = run.Deliver();
        byte[] settled = run.ReportDone();
        byte[] receiver = run.ReceiverJournal();
        byte[] short3 = run.Framed([1, 2, 3]);
        byte[] garbage = run.Framed([.. Enumerable.Repeat((byte)0xEE, ContractJournalRecord.Size)]);
        run.Dispose();
        System.IO.Directory.Delete(directory, recursive: true);

        yield return offered; // an offer in flight
        yield return committed; // offer and commit: units gone to board 2
        yield return settled; // offer, commit, done
        yield return receiver; // board 2's records (another board's journal: refused)
        yield return settled[..^5]; // the last record torn by a crash
        byte[] flipped = [.. settled];
        flipped[ContractJournalFile.HeaderBytes + ContractJournalRecord.Size + 4] ^= 0x20; // the second record's CRC
        yield return flipped;
        yield return short3; // a whole frame too short for a contract record
        yield return garbage; // a whole frame of a record's size that does not decode
    }
}
