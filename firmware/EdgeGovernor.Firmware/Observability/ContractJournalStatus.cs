namespace EdgeGovernor.Firmware.Observability;

/// <summary>The contract journal in <c>/status</c> (and <c>edgegov status</c>): whether the contracts are halted on it
/// and why, its size, and its compaction.</summary>
internal sealed class ContractJournalStatus
{
    /// <summary>True while the contracts are halted: the journal cannot be written (no transfer starts, contract messages are dropped).</summary>
    public bool Halted { get; set; }

    /// <summary>The error that halted the contracts last (the journal file and the OS error; null: never).</summary>
    public string? Error { get; set; }

    /// <summary>Journal appends and rewrites that failed with an I/O error.</summary>
    public long Failures { get; set; }

    /// <summary>Times the contracts resumed from the reopened journal.</summary>
    public long Recoveries { get; set; }

    /// <summary>Contract messages dropped while halted.</summary>
    public long DroppedWhileHalted { get; set; }

    /// <summary>Bytes the journal holds.</summary>
    public long Bytes { get; set; }

    /// <summary>Most bytes it may hold (0: unbounded).</summary>
    public long CapacityBytes { get; set; }

    /// <summary>Compactions written.</summary>
    public long Compactions { get; set; }

    /// <summary>Compactions that failed.</summary>
    public long CompactionFailures { get; set; }

    /// <summary>New transfers refused for want of journal room.</summary>
    public long Refusals { get; set; }

    /// <summary>Finished transfers compaction forgot.</summary>
    public long TransfersForgotten { get; set; }

    /// <summary>Bytes compaction removed.</summary>
    public long BytesReclaimed { get; set; }
}
