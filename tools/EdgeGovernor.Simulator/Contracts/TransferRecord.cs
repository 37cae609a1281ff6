namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// One side's book of one transfer (units of one deadline moved from sender to receiver at one price in one hour).
/// Sender and receiver keep their own copy; the checker compares them.
/// </summary>
internal sealed class TransferRecord(long id, int sender, int receiver, int units, double price)
{
    public long Id { get; } = id;

    public int Sender { get; } = sender;

    public int Receiver { get; } = receiver;

    /// <summary>Units committed.</summary>
    public int Units { get; } = units;

    public double Price { get; } = price;

    /// <summary>Units run (paid for).</summary>
    public int Run { get; set; }

    /// <summary>Units that missed their deadline at the receiver.</summary>
    public int Missed { get; set; }

    /// <summary>Money moved for this transfer.</summary>
    public double Money { get; set; }
}
