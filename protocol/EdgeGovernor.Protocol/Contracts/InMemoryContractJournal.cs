namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// A journal in memory, for tests and the simulator: it survives a simulated crash (the exchange is thrown away and
/// rebuilt from <see cref="ReadAll"/>; this object is kept), like a synced file survives a real one.
/// </summary>
public sealed class InMemoryContractJournal : IContractJournal
{
    private readonly List<ContractJournalRecord> _records = [];

    /// <summary>Records appended.</summary>
    public int Count => _records.Count;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The record is not well-formed (the exchange never produces one).</exception>
    public void Append(in ContractJournalRecord record)
    {
        if (!record.IsWellFormed)
        {
            throw new ArgumentException($"Malformed journal record {record}.", nameof(record));
        }

        _records.Add(record);
    }

    /// <inheritdoc/>
    public long Bytes => (long)_records.Count * ContractJournalRecord.Size;

    /// <inheritdoc/>
    public long CapacityBytes => long.MaxValue;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A record is not well-formed (nothing is replaced).</exception>
    public void Replace(IReadOnlyList<ContractJournalRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (int i = 0; i < records.Count; i++)
        {
            if (!records[i].IsWellFormed)
            {
                throw new ArgumentException($"Malformed journal record {i}: {records[i]}.", nameof(records));
            }
        }

        _records.Clear();
        _records.AddRange(records);
    }

    /// <inheritdoc/>
    public IReadOnlyList<ContractJournalRecord> ReadAll() => _records;
}
