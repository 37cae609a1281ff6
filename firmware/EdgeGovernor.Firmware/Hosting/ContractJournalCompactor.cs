using System.Globalization;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// Keeps the contract journal bounded (<see cref="ContractHost"/>'s, run at the start of each contract step, between
/// exchange calls): compacts it (<see cref="ContractExchange.Compact"/>, then <see cref="IContractJournal.Replace"/>)
/// when it holds more than half its capacity or a day after the last compaction, and tells the host whether a new
/// transfer still fits: one needs <see cref="RecordsPerTransfer"/> records and every open transfer keeps room for its
/// remaining ones, so an append of an open transfer never meets the bound. A compaction the bound refuses (nothing is
/// written) is logged and counted (<see cref="Failures"/>); the old journal stays in place and the next step tries
/// again. A compaction that fails with an I/O error is counted and returned to the host, which halts its contracts
/// (the journal cannot be written). When even a compacted journal has no room, new transfers are refused
/// (<see cref="Refusals"/>) until finished ones can be forgotten. The journal is passed in on each call: the host
/// reopens it after a failure, and the counters run on across reopenings.
/// </summary>
internal sealed class ContractJournalCompactor(Logger log, long unixMs)
{
    /// <summary>Compaction at least this often (wall ms).</summary>
    public const long PeriodMs = 86_400_000;

    /// <summary>Most records one transfer journals on one side (receiver: prepared, committed, done, closed), plus one to spare.</summary>
    public const int RecordsPerTransfer = 5;

    /// <summary>Bytes budgeted per record (a file record: 8 bytes of framing + <see cref="ContractJournalRecord.Size"/>).</summary>
    public const int BytesPerRecord = 64;

    private readonly List<ContractJournalRecord> _compacted = [];
    private long _nextMs = unixMs + PeriodMs;
    private bool _full;

    /// <summary>Compactions written.</summary>
    public long Compactions { get; private set; }

    /// <summary>Compactions that failed (the bound refused them, or an I/O error; the old journal stayed).</summary>
    public long Failures { get; private set; }

    /// <summary>New transfers refused (own offers not made, partners' offers answered busy) for want of journal room.</summary>
    public long Refusals { get; private set; }

    /// <summary>Finished transfers compaction forgot (their totals carried in the ledger records).</summary>
    public long TransfersForgotten { get; private set; }

    /// <summary>Bytes compaction removed from the journal.</summary>
    public long BytesReclaimed { get; private set; }

    /// <summary>Compacts <paramref name="journal"/> when due (over half the capacity, or <see cref="PeriodMs"/> since the
    /// last one). Returns the I/O error a failed rewrite met (the host halts on it), else null.</summary>
    public Exception? Maintain(IContractJournal journal, ContractExchange exchange, long unixMs)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(exchange);
        bool big = journal.CapacityBytes != long.MaxValue && journal.Bytes > journal.CapacityBytes / 2;
        if (!big && unixMs < _nextMs)
        {
            return null;
        }
        _nextMs = unixMs + PeriodMs;
        long before = journal.Bytes;
        try
        {
            int forgotten = exchange.Compact(unixMs, _compacted);
            journal.Replace(_compacted);
            Compactions++;
            TransfersForgotten += forgotten;
            BytesReclaimed += Math.Max(0, before - journal.Bytes);
            log.Info(string.Create(CultureInfo.InvariantCulture,
                $"contracts: journal compacted from {before} to {journal.Bytes} bytes ({forgotten} finished transfers forgotten, {exchange.HeldTransfers} kept)"));
            return null;
        }
        catch (InvalidOperationException e)
        {
            Failures++;
            log.Error("contracts: journal compaction failed (the old journal stays; retried next step): " + ErrorText.Describe(e));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Failures++;
            return e;
        }
    }

    /// <summary>True when <paramref name="journal"/> has room for one more transfer besides the remaining records of the
    /// <paramref name="openTransfers"/> open ones; false counts a refusal (logged the first time in a row).</summary>
    public bool HasRoomForNewTransfer(IContractJournal journal, int openTransfers)
    {
        ArgumentNullException.ThrowIfNull(journal);
        if (journal.CapacityBytes == long.MaxValue)
        {
            return true;
        }
        long need = ((long)openTransfers + 1) * RecordsPerTransfer * BytesPerRecord;
        bool room = journal.CapacityBytes - journal.Bytes >= need;
        if (!room)
        {
            Refusals++;
            if (!_full)
            {
                log.Error(string.Create(CultureInfo.InvariantCulture,
                    $"contracts: the journal is full ({journal.Bytes} of {journal.CapacityBytes} bytes, {openTransfers} transfers open): new transfers are refused until finished ones can be forgotten"));
            }
        }
        _full = !room;
        return room;
    }
}
