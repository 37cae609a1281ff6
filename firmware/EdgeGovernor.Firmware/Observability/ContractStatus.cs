namespace EdgeGovernor.Firmware.Observability;

/// <summary>One load contract in <c>/status</c> (and <c>edgegov status</c>): with whom, its state and its books.</summary>
internal sealed class ContractStatus
{
    /// <summary>The contract's id.</summary>
    public uint Id { get; set; }

    /// <summary>The partner board.</summary>
    public uint Partner { get; set; }

    /// <summary><c>unmatched</c>, <c>active</c>, <c>pending</c> or <c>expired</c>.</summary>
    public string State { get; set; } = "";

    /// <summary>Units received from the partner (committed).</summary>
    public long UnitsIn { get; set; }

    /// <summary>Units sent to the partner (committed).</summary>
    public long UnitsOut { get; set; }

    /// <summary>What the partner owes this board for the units it took (the run's currency).</summary>
    public double PaymentsIn { get; set; }

    /// <summary>What this board owes the partner for the units the partner took.</summary>
    public double PaymentsOut { get; set; }

    /// <summary>Offers refused (by either side).</summary>
    public long OffersRefused { get; set; }

    /// <summary>Transfers aborted.</summary>
    public long TransfersAborted { get; set; }
}
