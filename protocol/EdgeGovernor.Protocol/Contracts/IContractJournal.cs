namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// Durable storage of a board's <see cref="ContractJournalRecord"/>s (the firmware: an append-only file, each record
/// framed and checksummed, fsynced). The host of a <see cref="ContractExchange"/> appends every
/// <see cref="ContractEffectKind.Journal"/> effect before it carries out the effects after it (sending a message,
/// running or releasing units), so a board that crashes anywhere restarts into a state its partner's view allows.
/// </summary>
public interface IContractJournal
{
    /// <summary>Appends <paramref name="record"/>; returns only when it would survive a crash (written and synced).</summary>
    void Append(in ContractJournalRecord record);

    /// <summary>Every record appended so far, in order (read once, to build the exchange at start).</summary>
    IReadOnlyList<ContractJournalRecord> ReadAll();

    /// <summary>Bytes the journal holds now (a file: its length, framing included).</summary>
    long Bytes { get; }

    /// <summary>Most bytes it may hold; an append past it fails (<see cref="long.MaxValue"/>: unbounded).</summary>
    long CapacityBytes { get; }

    /// <summary>Replaces every record with <paramref name="records"/> (<see cref="ContractExchange.Compact"/>'s output)
    /// atomically: after a crash at any point the journal holds either the old records or the new ones, all of them.</summary>
    void Replace(IReadOnlyList<ContractJournalRecord> records);
}
