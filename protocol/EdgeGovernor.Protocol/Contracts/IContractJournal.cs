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
}
