namespace EdgeGovernor.Simulator.Engine;

/// <summary>
/// What the simulation needs of one node incarnation: the protocol core's entry points, in
/// simulator time (microseconds on the node's monotonic clock). Adapters in <c>Adapters/</c>
/// wrap the real protocol node in this; tests may wrap fakes.
/// </summary>
public interface ISimulatedNode
{
    /// <summary>When <see cref="Tick"/> should next run (node clock, microseconds).</summary>
    long NextDeadlineUs { get; }

    /// <summary>Messages this node currently retains for repair (for the retention figures).</summary>
    int RetainedMessages { get; }

    /// <summary>A datagram arrived.</summary>
    void Receive(ReadOnlySpan<byte> datagram, long nowUs);

    /// <summary>Runs the node's timers.</summary>
    void Tick(long nowUs);

    /// <summary>Publishes an application message on the node's reliable ordered multicast stream.</summary>
    /// <returns>False when the send window is full (the application retries later).</returns>
    bool TryPublish(ReadOnlySpan<byte> payload, long nowUs);
}
