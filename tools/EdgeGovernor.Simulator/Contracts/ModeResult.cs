namespace EdgeGovernor.Simulator.Contracts;

/// <summary>What one mode of <c>evaluate-contracts</c> came to.</summary>
public sealed record ModeResult
{
    public required string Mode { get; init; }

    /// <summary>Net value of the federation: work done, less energy and migration (payments cancel out).</summary>
    public required double NetValue { get; init; }

    /// <summary>Each rack's net value (payments included), by rack id.</summary>
    public required double[] RackNetValues { get; init; }

    public required double EnergyCost { get; init; }

    public required double Kwh { get; init; }

    public required long UnitsMoved { get; init; }

    public required long BatchMissed { get; init; }

    public required long InteractiveDropped { get; init; }

    public required int OverloadedRackHours { get; init; }

    /// <summary>Units that are neither run, missed, nor waiting at the end (must be 0).</summary>
    public required long UnitsLost { get; init; }

    /// <summary>Units run more than once (must be 0).</summary>
    public required long UnitsDuplicated { get; init; }

    /// <summary>Transfers whose sender's and receiver's books disagree on units or money (must be 0).</summary>
    public required int LedgerMismatches { get; init; }

    /// <summary>Rack-hours above capacity (must be 0).</summary>
    public required int EnvelopeViolations { get; init; }

    /// <summary>Contract messages sent by the racks' exchanges (first sends, answers and retransmissions).</summary>
    public required long Messages { get; init; }

    /// <summary>Of those, lost by the network or arriving at a controller that was down.</summary>
    public required long MessagesLost { get; init; }

    /// <summary>Transfers offered (journalled by their owners).</summary>
    public required int Transfers { get; init; }

    public required int TransfersCommitted { get; init; }

    /// <summary>Transfers aborted (refused, or unresolved at the decide-by deadline: the owner ran the units).</summary>
    public required int TransfersAborted { get; init; }

    /// <summary>Transfers still undecided at the end (must be 0).</summary>
    public required int Unresolved { get; init; }

    /// <summary>Controller crashes injected.</summary>
    public required int Crashes { get; init; }

    /// <summary>Messages the exchanges sent again on their timers.</summary>
    public required long Retransmissions { get; init; }

    /// <summary>Units that missed their deadline because their transfer was resolved too late (owner got them back, or
    /// the receiver learnt the commit, after the deadline); included in the batch units missed.</summary>
    public required long UnitsMissedLate { get; init; }

    /// <summary>Payments between racks, summed.</summary>
    public required double Payments { get; init; }
}
