namespace EdgeGovernor.Simulator.Contracts;

/// <summary>Units a rack took from a partner under a contract and has not run yet.</summary>
internal sealed class ForeignBatch(int from, int deadlineHour, int units, double price, long transferId)
{
    public int From { get; } = from;

    public int DeadlineHour { get; } = deadlineHour;

    public int Units { get; set; } = units;

    public double Price { get; } = price;

    /// <summary>The transfer's id, the same in both partners' books.</summary>
    public long TransferId { get; } = transferId;
}
