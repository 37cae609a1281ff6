namespace EdgeGovernor.Protocol.Cluster;

/// <summary>What happened to a record offered to the log.</summary>
public enum PriceLogResult : byte
{
    /// <summary>The record was appended (after removing a conflicting uncommitted suffix, if any).</summary>
    Appended = 0,

    /// <summary>The log already held it (same index and term, or the same interval with the same price): nothing changed.</summary>
    Duplicate = 1,

    /// <summary>The record does not follow the log (a gap, or the previous term does not match): catch up from <see cref="PriceLog.LastIndex"/> + 1.</summary>
    Gap = 2,

    /// <summary>Accepting it would remove a committed record: refused and counted (a coordinator that breaks the rules).</summary>
    ConflictsWithCommitted = 3,

    /// <summary>The log is full of uncommitted records: refused until commits free space.</summary>
    Full = 4,

    /// <summary>The record is malformed (index or term 0, empty interval, term lower than the last record's).</summary>
    Invalid = 5,
}
