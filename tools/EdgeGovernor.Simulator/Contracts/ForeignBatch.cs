using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>Units a rack took from a partner under a committed transfer and has not finished yet.</summary>
internal sealed class ForeignBatch(int from, int deadlineHour, int units, TransferId transfer)
{
    public int From { get; } = from;

    public int DeadlineHour { get; } = deadlineHour;

    /// <summary>Units still to run.</summary>
    public int Units { get; set; } = units;

    /// <summary>Units run so far.</summary>
    public int Ran { get; set; }

    /// <summary>The transfer's id, the same in both partners' journals.</summary>
    public TransferId Transfer { get; } = transfer;
}
