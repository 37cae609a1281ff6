using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Channels;

namespace EdgeGovernor.Protocol.Tests.Support;

/// <summary>One node's multicast context for the channel unit tests: node 1, a recording sink, a fixed live set, a
/// constant random draw (so every backoff is <see cref="BackoffUs"/>).</summary>
internal sealed class ChannelRig
{
    public ChannelRig(NodeOptions? options = null, params uint[] live)
    {
        Options = options ?? TestKeys.Options(1);
        Membership = new FixedMembership(live.Length == 0 ? [1, 2, 3] : live);
        Context = new MulticastContext(Options, Sink, Counters, Membership, Random);
    }

    public NodeOptions Options { get; }

    public RecordingChannelSink Sink { get; } = new();

    public ProtocolCounters Counters { get; } = new();

    public FixedMembership Membership { get; }

    public ConstantRandom Random { get; } = new(0.5);

    public MulticastContext Context { get; }

    /// <summary>The backoff every draw gives with the current live set.</summary>
    public long BackoffUs => NackBackoff.DelayUs(0.5, (long)(Options.NackBackoffFactor * Options.RttEstimateUs), Membership.LiveCount);

    /// <summary>A remote stream of origin 2 (incarnation 1) starting at 0, with a ring of <paramref name="capacity"/>.</summary>
    public MulticastStream Remote(int capacity = 16, uint origin = 2)
    {
        var stream = new MulticastStream(new NodeId(origin), 1, isLocal: false, capacity, Context);
        stream.Reset(1, 0);
        return stream;
    }

    /// <summary>Node 1's own stream.</summary>
    public MulticastStream Local(int capacity = 16)
    {
        var stream = new MulticastStream(new NodeId(1), 1, isLocal: true, capacity, Context);
        stream.Reset(1, 0);
        return stream;
    }
}
