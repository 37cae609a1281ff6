using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The protocol's <see cref="IContractJournal"/> on disk: each <see cref="ContractJournalRecord"/> in its
/// <see cref="ContractJournalRecord.Size"/>-byte encoding, one record of a <see cref="ContractJournalFile"/> (framed,
/// checksummed, fsynced before <see cref="Append"/> returns). Opening reads and validates the whole file; a record that
/// does not decode (<see cref="ContractJournalRecord.TryRead"/>) refuses the file with an
/// <see cref="InvalidDataException"/> naming it and the record's index (<see cref="Refuse"/>, which the host also uses
/// when the exchange cannot restore the records).
/// </summary>
internal sealed class ContractFileJournal : IContractJournal, IDisposable
{
    private readonly ContractJournalFile _file;
    private readonly List<ContractJournalRecord> _records = [];
    private readonly byte[] _buffer = new byte[ContractJournalRecord.Size];

    /// <summary>Opens (and reads) the journal of board <paramref name="node"/> in <paramref name="directory"/>: created
    /// when missing at a first start; when <paramref name="mustExist"/> (reopening after a failure) a missing file is an
    /// error (<see cref="ContractJournalFile.MustExist"/>).</summary>
    /// <exception cref="InvalidDataException">The file is damaged or holds a record that does not decode.</exception>
    /// <exception cref="IOException">The file cannot be read or opened, or it is missing while <paramref name="mustExist"/>.</exception>
    public ContractFileJournal(string directory, uint node, bool mustExist = false)
    {
        _file = new ContractJournalFile(directory, node, mustExist);
        try
        {
            _file.Load(Decode); // each record decoded as it is read: a file of records that are none is refused at the first
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The refusal of this file for <paramref name="why"/> (a record that does not decode, or records the exchange cannot
    /// restore: <paramref name="inner"/>), naming the file and how to recover.
    /// </summary>
    public InvalidDataException Refuse(string why, Exception? inner = null) =>
        new($"contract journal '{_file.FilePath}' {why}; refusing to start: a lost transfer record could run a unit twice or lose it. "
            + "Reconcile with the partner's journal and move the file aside.", inner);

    private void Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.Length != ContractJournalRecord.Size || !ContractJournalRecord.TryRead(raw, out ContractJournalRecord record))
        {
            throw Refuse($"record {_records.Count} ({raw.Length} bytes) is not a valid contract journal record");
        }
        _records.Add(record);
    }

    /// <summary>The file underneath.</summary>
    public ContractJournalFile File => _file;

    /// <inheritdoc/>
    /// <exception cref="IOException">Writing or syncing failed, or the file was removed (<see cref="ContractJournalFile.Append"/>).</exception>
    /// <exception cref="InvalidOperationException">The file is not open (a write failed before) or full.</exception>
    public void Append(in ContractJournalRecord record)
    {
        if (!record.IsWellFormed || !record.TryWrite(_buffer))
        {
            throw new ArgumentException($"malformed contract journal record {record}", nameof(record));
        }
        _file.Append(_buffer);
        _records.Add(record);
    }

    /// <inheritdoc/>
    public IReadOnlyList<ContractJournalRecord> ReadAll() => _records;

    /// <inheritdoc/>
    public long Bytes => _file.Length;

    /// <inheritdoc/>
    public long CapacityBytes => ContractJournalFile.MaxFileBytes;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A record is malformed (nothing is written).</exception>
    /// <exception cref="InvalidOperationException">The records would outgrow the file's bound (nothing is written).</exception>
    /// <exception cref="IOException">The rewrite failed (<see cref="ContractJournalFile.Rewrite"/>: the old file or the new one is in place).</exception>
    public void Replace(IReadOnlyList<ContractJournalRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var encoded = new List<byte[]>(records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            byte[] bytes = new byte[ContractJournalRecord.Size];
            if (!records[i].IsWellFormed || !records[i].TryWrite(bytes))
            {
                throw new ArgumentException($"malformed contract journal record {i}: {records[i]}", nameof(records));
            }
            encoded.Add(bytes);
        }
        // On failure the list stays the old one: the old records and the new ones restore the same transfers and
        // ledgers (the old ones also the finished transfers compaction forgot), so either is right for a restart.
        _file.Rewrite(encoded);
        _records.Clear();
        _records.AddRange(records);
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();
}
