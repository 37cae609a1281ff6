using System.Text.Json;
using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Checkers;

/// <summary>
/// A pluggable checker: it watches a run through these callbacks and counts breaches of one
/// guarantee. Every checker's <see cref="Violations"/> add up to the run's
/// <c>safety_violations</c>. Callbacks arrive in simulated-time order; the spans are valid only
/// during the call. Override only what you need.
/// </summary>
/// <remarks>
/// The cluster checkers (issue 3) derive from this in <c>Cluster/</c> and register through
/// <see cref="CheckerCatalog"/>; node events beyond deliveries reach them through
/// <see cref="OnObserved"/>.
/// </remarks>
public abstract class SimulationChecker
{
    /// <summary>How many violation messages are kept for the report.</summary>
    public const int MaxSamples = 20;

    private readonly List<string> _samples = [];

    /// <summary>A short name for reports, e.g. "stream-delivery".</summary>
    public abstract string Name { get; }

    /// <summary>Breaches found so far.</summary>
    public long Violations { get; private set; }

    /// <summary>The first <see cref="MaxSamples"/> breaches, described.</summary>
    public IReadOnlyList<string> Samples => _samples;

    /// <summary>The simulation is about to start; <paramref name="simulation"/> can be queried later.</summary>
    public virtual void Attach(Simulation simulation)
    {
    }

    /// <summary>A node incarnation started (life 1 at the start of the run, then one more per restart).</summary>
    public virtual void OnNodeStarted(int node, int life, long timeUs)
    {
    }

    /// <summary>A node crashed.</summary>
    public virtual void OnNodeCrashed(int node, int life, long timeUs)
    {
    }

    /// <summary>A node's application published a message (accepted by the node).</summary>
    public virtual void OnPublished(int node, int life, ulong number, ReadOnlySpan<byte> payload, long timeUs)
    {
    }

    /// <summary>A node delivered a message of an ordered multicast stream.</summary>
    public virtual void OnDelivered(int receiver, int receiverLife, uint senderNodeId, ulong sequence, ReadOnlySpan<byte> payload, long timeUs)
    {
    }

    /// <summary>A node reported another protocol event (membership, leadership, ...).</summary>
    public virtual void OnObserved(int node, int life, in NodeObservation observation, long timeUs)
    {
    }

    /// <summary>The run ended at <paramref name="timeUs"/>: check end-of-run conditions.</summary>
    public virtual void OnFinished(long timeUs)
    {
    }

    /// <summary>Adds this checker's own figures to the run's JSON object (called once, after <see cref="OnFinished"/>).</summary>
    public virtual void WriteFigures(Utf8JsonWriter json)
    {
    }

    /// <summary>Adds this checker's figures to the readable summary.</summary>
    public virtual void WriteSummary(TextWriter output)
    {
    }

    /// <summary>Counts one breach and keeps its description if there is room.</summary>
    protected void Violation(long timeUs, string description) => Violation(timeUs, description, 1);

    /// <summary>Counts <paramref name="count"/> breaches of one kind, described once.</summary>
    protected void Violation(long timeUs, string description, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Violations += count;
        if (_samples.Count < MaxSamples)
        {
            string times = count == 1 ? "" : FormattableString.Invariant($" (x{count})");
            _samples.Add(FormattableString.Invariant($"t={timeUs / 1e6:F6}s {Name}: {description}{times}"));
        }
    }
}
