namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// What every multicast stream of one node shares: settings, the sink of effects, counters, the membership view and
/// the random backoff (Aeron's delay generator; one draw per NACK or holder repair scheduled, in call order).
/// </summary>
internal sealed class MulticastContext
{
    public MulticastContext(NodeOptions options, IChannelSink sink, ProtocolCounters counters, IMembershipView membership, IRandomSource random)
    {
        Self = options.Node;
        Sink = sink;
        Counters = counters;
        Membership = membership;
        Random = random;
        RttUs = options.RttEstimateUs;
        MaxBackoffUs = (long)(options.NackBackoffFactor * options.RttEstimateUs);
        MaxNackRoundsAfterFailure = options.MaxNackRoundsAfterFailure;
    }

    public NodeId Self { get; }

    public IChannelSink Sink { get; }

    public ProtocolCounters Counters { get; }

    public IMembershipView Membership { get; }

    public IRandomSource Random { get; }

    /// <summary>The round-trip estimate: a holder repairs a message at most once per RTT.</summary>
    public long RttUs { get; }

    /// <summary>How long a NACK waits for the repair before the next round's backoff: 2 RTT.</summary>
    public long RepairWaitUs => 2 * RttUs;

    /// <summary>Backoff maximum: <see cref="NodeOptions.NackBackoffFactor"/> × RTT.</summary>
    public long MaxBackoffUs { get; }

    public int MaxNackRoundsAfterFailure { get; }

    /// <summary>One randomized backoff (<see cref="NackBackoff"/> over the live group size); draws one random number.</summary>
    public long BackoffUs() => NackBackoff.DelayUs(Random.NextDouble(), MaxBackoffUs, Membership.LiveCount);
}
