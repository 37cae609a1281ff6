namespace EdgeGovernor.Simulator.Network;

/// <summary>
/// How one directed link (sender to receiver) treats each datagram: its latency, the chance that
/// the receiver loses it (separately for data and control datagrams), duplication and reordering.
/// Decisions are independent per receiver: a group send to n receivers draws n times.
/// </summary>
/// <param name="Latency">One-way latency.</param>
/// <param name="DataLoss">Probability a receiver loses a data or repair datagram.</param>
/// <param name="ControlLoss">Probability a receiver loses a control datagram (heartbeat, ack, NACK, vote).</param>
/// <param name="Duplicate">Probability a receiver gets a second copy (with its own latency).</param>
/// <param name="Reorder">Probability a datagram is held back by an extra delay, so later ones overtake it.</param>
/// <param name="ReorderDelayUs">The extra delay of a reordered datagram is uniform in [0, this] microseconds.</param>
public sealed record LinkProfile(
    LatencyDistribution Latency,
    double DataLoss = 0,
    double ControlLoss = 0,
    double Duplicate = 0,
    double Reorder = 0,
    long ReorderDelayUs = 0)
{
    /// <summary>A perfect link with a fixed 100 microsecond latency.</summary>
    public static LinkProfile Perfect { get; } = new(LatencyDistribution.Constant(100));

    /// <summary>The receiver-side loss probability for a datagram of the given class.</summary>
    public double LossFor(PacketClass packetClass) =>
        packetClass is PacketClass.Data or PacketClass.Repair ? DataLoss : ControlLoss;

    /// <summary>Checks the parameters; returns null when valid, else "field: reason".</summary>
    public string? Validate()
    {
        if (Latency.Validate() is { } latency)
        {
            return "latency: " + latency;
        }

        return Probability(DataLoss, "data_loss")
            ?? Probability(ControlLoss, "control_loss")
            ?? Probability(Duplicate, "duplicate")
            ?? Probability(Reorder, "reorder")
            ?? (ReorderDelayUs < 0 ? "reorder_delay_us: must not be negative" : null);
    }

    internal static string? Probability(double p, string name) =>
        p is >= 0 and <= 1 ? null : $"{name}: must be a probability in [0, 1] (was {p})";
}
