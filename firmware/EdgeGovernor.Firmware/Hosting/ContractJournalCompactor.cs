using System.Globalization;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// Keeps the contract journal bounded (<see cref="ContractHost"/>'s, run at the start of each contract step, between
/// exchange calls): compacts it (<see cref="ContractExchange.Compact"/>, then <see cref="IContractJournal.Replace"/>)
/// when it holds more than half its capacity or a day after the last compaction, and tells the host whether a new
/// transfer still fits: one needs <see cref="RecordsPerTransfer"/> records and every open transfer keeps room for its
/// remaining ones, so an append of an open transfer never meets the bound. A failed compaction is logged and counted
/// (<see cref="Failures"/>); the old journal stays in place and the next step tries again. When even a compacted
/// journal has no room, new transfers are refused (<see cref="Refusals"/>) until finished ones can be forgotten.
/// </summary>
internal sealed class ContractJournalCompactor(IContractJournal journal, Logger log, long unixMs)
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

    /// <summary>Compactions that failed (logged; the old journal stayed).</summary>
    public long Failures { get; private set; }

    /// <summary>New transfers refused (own offers not made, partners' offers answered busy) for want of journal room.</summary>
    public long Refusals { get; private set; }

    /// <summary>Compacts when due (over half the capacity, or <see cref="PeriodMs"/> since the last one).</summary>
    public void Maintain(ContractExchange exchange, long unixMs)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        bool big = journal.CapacityBytes != long.MaxValue && journal.Bytes > journal.CapacityBytes / 2;
        if (!big && unixMs < _nextMs)
        {
            return;
        }
        _nextMs = unixMs + PeriodMs;
        long before = journal.Bytes;
        try
        {
            int forgotten = exchange.Compact(unixMs, _compacted);
            journal.Replace(_compacted);
            Compactions++;
            log.Info(string.Create(CultureInfo.InvariantCulture,
                $"contracts: journal compacted from {before} to {journal.Bytes} bytes ({forgotten} finished transfers forgotten, {exchange.HeldTransfers} kept)"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Failures++;
            log.Error("contracts: journal compaction failed (the old journal stays; retried next step): " + ErrorText.Describe(e));
        }
    }

    /// <summary>True when the journal has room for one more transfer besides the remaining records of the
    /// <paramref name="openTransfers"/> open ones; false counts a refusal (logged the first time in a row).</summary>
    public bool HasRoomForNewTransfer(int openTransfers)
    {
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
