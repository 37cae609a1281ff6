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
    public IReadOnlyList<ContractJournalRecord> ReadAll() => _records;
}
