namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The contract journal's health as <c>/metrics</c>, <c>/status</c> and <c>edgegov status</c> show it: whether the
/// contracts are halted because the journal cannot be written (and the error), the failures, recoveries and contract
/// messages dropped while halted, the journal's size, and the <see cref="ContractJournalCompactor"/>'s counters.
/// Published by <see cref="ContractHost"/> on the agent loop's thread; read from any thread.
/// </summary>
internal sealed class ContractJournalHealth
{
    private int _halted;
    private string? _error;
    private long _failures;
    private long _recoveries;
    private long _droppedWhileHalted;
    private long _bytes;
    private long _capacityBytes;
    private long _compactions;
    private long _compactionFailures;
    private long _refusals;
    private long _transfersForgotten;
    private long _bytesReclaimed;

    /// <summary>True while the contracts are halted: no transfer started, no offer answered, contract messages dropped.</summary>
    public bool Halted => Volatile.Read(ref _halted) != 0;

    /// <summary>Why the contracts halted last (the journal file and the OS error; null: never), kept after a recovery.</summary>
    public string? Error => Volatile.Read(ref _error);

    /// <summary>Journal appends and rewrites that failed with an I/O error (each one halted the contracts).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Times the contracts resumed from the reopened journal.</summary>
    public long Recoveries => Interlocked.Read(ref _recoveries);

    /// <summary>Contract exchange messages dropped because the contracts were halted (the partner repeats them).</summary>
    public long DroppedWhileHalted => Interlocked.Read(ref _droppedWhileHalted);

    /// <summary>Bytes the journal holds.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Most bytes the journal may hold (<see cref="long.MaxValue"/>: unbounded).</summary>
    public long CapacityBytes => Interlocked.Read(ref _capacityBytes);

    /// <summary>Compactions written.</summary>
    public long Compactions => Interlocked.Read(ref _compactions);

    /// <summary>Compactions that failed.</summary>
    public long CompactionFailures => Interlocked.Read(ref _compactionFailures);

    /// <summary>New transfers refused for want of journal room.</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>Finished transfers compaction forgot.</summary>
    public long TransfersForgotten => Interlocked.Read(ref _transfersForgotten);

    /// <summary>Bytes compaction removed from the journal.</summary>
    public long BytesReclaimed => Interlocked.Read(ref _bytesReclaimed);

    /// <summary>The journal failed with <paramref name="error"/>: halted.</summary>
    public void OnHalted(string error)
    {
        Volatile.Write(ref _error, error);
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _halted, 1);
    }

    /// <summary>The contracts resumed from the reopened journal.</summary>
    public void OnRecovered()
    {
        Interlocked.Increment(ref _recoveries);
        Volatile.Write(ref _halted, 0);
    }

    /// <summary>A contract message was dropped while halted.</summary>
    public void OnDropped() => Interlocked.Increment(ref _droppedWhileHalted);

    /// <summary>Publishes the journal's size and the compactor's counters.</summary>
    public void Publish(long bytes, long capacityBytes, ContractJournalCompactor compactor)
    {
        ArgumentNullException.ThrowIfNull(compactor);
        Interlocked.Exchange(ref _bytes, bytes);
        Interlocked.Exchange(ref _capacityBytes, capacityBytes);
        Interlocked.Exchange(ref _compactions, compactor.Compactions);
        Interlocked.Exchange(ref _compactionFailures, compactor.Failures);
        Interlocked.Exchange(ref _refusals, compactor.Refusals);
        Interlocked.Exchange(ref _transfersForgotten, compactor.TransfersForgotten);
        Interlocked.Exchange(ref _bytesReclaimed, compactor.BytesReclaimed);
    }
}
