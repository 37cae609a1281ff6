using System.Text.Json;
using EdgeGovernor.Simulator.Adapters;
using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Workload;

namespace EdgeGovernor.Simulator.Checkers;

/// <summary>
/// Guarantee 2 of the architecture: each sender's multicast stream is delivered gap-free, in
/// order, exactly once to every live member, under loss, duplication and reordering.
/// </summary>
/// <remarks>
/// <para>A stream is one sender incarnation's published messages, numbered 1, 2, ... by the
/// traffic generator inside the payload (<see cref="PayloadFormat"/>), so the check does not
/// depend on the protocol's own numbering; the protocol's sequence numbers must still rise by
/// exactly one per delivery.</para>
/// <para>While the run goes, each delivery at a receiver incarnation must be the next message
/// of that stream: anything else is a gap (a number skipped), a duplicate or a reorder (a number
/// already passed), each one violation. A payload that is not intact, or whose sender disagrees
/// with the protocol's sender id, is a violation too.</para>
/// <para>At the end, every receiver incarnation alive then (a live member) must hold every
/// required message of every other sender's stream; each missing one is a violation. Required
/// are: for a sender incarnation still alive, every message it published; for one that crashed,
/// every message that some node delivered (the others never left it). A receiver that started
/// with the run must have them all; one that restarted, those published from
/// <see cref="SimulationConfig.JoinGraceUs"/> after its restart on (a late joiner starts at the
/// sender's current sequence number).</para>
/// <para>Membership is the sender's view: while a sender's node has declared a receiver failed
/// (a <see cref="ObservationKinds.MemberFailed"/> observation, e.g. during a partition), the
/// receiver is not a member of that stream. When the sender sees it alive again, it rejoins like a
/// late joiner: a skip over what it missed meanwhile is not a gap (counted in
/// <see cref="RejoinSkips"/>), and it must deliver what is published from the join grace after its
/// rejoin on. A receiver that the sender still holds failed at the end is not required to have
/// anything more of that stream.</para>
/// </remarks>
public sealed class StreamDeliveryChecker : SimulationChecker
{
    private readonly Dictionary<(int Sender, int SenderLife), StreamInfo> _streams = [];
    private readonly Dictionary<(int Receiver, int ReceiverLife, int Sender, int SenderLife), ReceiverState> _receivers = [];
    private readonly Dictionary<(int Node, int Life), long> _lifeStart = [];
    private readonly Dictionary<(int Sender, int Receiver), Exclusion> _exclusions = [];
    private long _joinGraceUs;
    private Simulation? _simulation;

    /// <inheritdoc/>
    public override string Name => "stream-delivery";

    /// <summary>Deliveries required at the live members at the end (see remarks).</summary>
    public long ExpectedDeliveries { get; private set; }

    /// <summary>Of <see cref="ExpectedDeliveries"/>, how many happened.</summary>
    public long MessagesDelivered { get; private set; }

    /// <summary>Deliveries that skipped a message.</summary>
    public long Gaps { get; private set; }

    /// <summary>Deliveries of a message already delivered or passed.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Required deliveries that never happened at a live member.</summary>
    public long Missing { get; private set; }

    /// <summary>Deliveries with a damaged payload or a wrong sender.</summary>
    public long Corrupt { get; private set; }

    /// <summary>Skips over messages a receiver missed while its sender held it failed (not violations).</summary>
    public long RejoinSkips { get; private set; }

    /// <summary>(sender, live receiver) pairs not checked at the end because the sender held the receiver failed.</summary>
    public long ExcludedAtEnd { get; private set; }

    /// <inheritdoc/>
    public override void Attach(Simulation simulation)
    {
        _simulation = simulation;
        _joinGraceUs = simulation.Config.JoinGraceUs;
    }

    /// <inheritdoc/>
    public override void OnNodeStarted(int node, int life, long timeUs) =>
        _lifeStart[(node, life)] = life == 1 ? long.MinValue : timeUs;

    /// <inheritdoc/>
    public override void OnNodeCrashed(int node, int life, long timeUs)
    {
        if (_streams.TryGetValue((node, life), out StreamInfo? s))
        {
            s.Crashed = true;
        }
    }

    /// <inheritdoc/>
    public override void OnObserved(int node, int life, in NodeObservation observation, long timeUs)
    {
        bool failed = observation.Kind == ObservationKinds.MemberFailed;
        bool alive = observation.Kind == ObservationKinds.MemberAlive;
        int receiver = (int)observation.A - 1;
        if ((!failed && !alive) || receiver < 0 || receiver == node)
        {
            return;
        }

        if (!_exclusions.TryGetValue((node, receiver), out Exclusion? e))
        {
            if (alive)
            {
                return;
            }

            e = new Exclusion();
            _exclusions[(node, receiver)] = e;
        }

        if (failed && !e.Excluded)
        {
            e.Excluded = true;
            e.Epoch++;
        }
        else if (alive && e.Excluded)
        {
            e.Excluded = false;
            e.RejoinedUs = timeUs;
        }
    }

    /// <inheritdoc/>
    public override void OnPublished(int node, int life, ulong number, ReadOnlySpan<byte> payload, long timeUs)
    {
        if (!_streams.TryGetValue((node, life), out StreamInfo? s))
        {
            s = new StreamInfo();
            _streams[(node, life)] = s;
        }

        if (number != (ulong)s.PublishTimes.Count + 1)
        {
            throw new InvalidOperationException($"traffic generator numbered message {number} after {s.PublishTimes.Count}");
        }

        s.PublishTimes.Add(timeUs);
    }

    /// <inheritdoc/>
    public override void OnDelivered(int receiver, int receiverLife, uint senderNodeId, ulong sequence, ReadOnlySpan<byte> payload, long timeUs)
    {
        if (!PayloadFormat.TryRead(payload, out int sender, out int senderLife, out ulong number) || number == 0)
        {
            Corrupt++;
            Violation(timeUs, $"node {receiver} delivered a damaged payload ({payload.Length} bytes) attributed to node id {senderNodeId} seq {sequence}");
            return;
        }

        if (NodeContext.NodeIdOf(sender) != senderNodeId)
        {
            Corrupt++;
            Violation(timeUs, $"node {receiver} delivered node {sender}'s message {number} as coming from node id {senderNodeId}");
            return;
        }

        if (sender == receiver)
        {
            return; // a node's delivery to itself is not part of the guarantee
        }

        if (!_streams.TryGetValue((sender, senderLife), out StreamInfo? stream) || number > (ulong)stream.PublishTimes.Count)
        {
            Corrupt++;
            Violation(timeUs, $"node {receiver} delivered message {number} of node {sender} life {senderLife}, which was never published");
            return;
        }

        stream.MaxDelivered = Math.Max(stream.MaxDelivered, number);
        var key = (receiver, receiverLife, sender, senderLife);
        int epoch = _exclusions.TryGetValue((sender, receiver), out Exclusion? exclusion) ? exclusion.Epoch : 0;
        if (!_receivers.TryGetValue(key, out ReceiverState? state))
        {
            _receivers[key] = new ReceiverState { First = number, Last = number, LastSequence = sequence, Epoch = epoch };
            return;
        }

        bool rejoined = epoch != state.Epoch;
        state.Epoch = epoch;

        if (number == state.Last + 1)
        {
            if (sequence != state.LastSequence + 1)
            {
                Violation(timeUs, $"node {receiver}: stream of node {sender} life {senderLife}: message {number} carried sequence {sequence} after {state.LastSequence}");
            }

            state.Last = number;
            state.LastSequence = sequence;
        }
        else if (number <= state.Last)
        {
            Duplicates++;
            Violation(timeUs, $"node {receiver}: stream of node {sender} life {senderLife}: message {number} delivered again or out of order (already at {state.Last})");
        }
        else
        {
            if (rejoined)
            {
                RejoinSkips++; // the sender held this receiver failed meanwhile: it rejoined like a late joiner
            }
            else
            {
                Gaps++;
                Violation(timeUs, $"node {receiver}: stream of node {sender} life {senderLife}: gap, delivered {number} after {state.Last}");
            }

            state.Last = number;
            state.LastSequence = sequence;
        }
    }

    /// <inheritdoc/>
    public override void OnFinished(long timeUs)
    {
        Simulation sim = _simulation ?? throw new InvalidOperationException("checker was not attached");
        foreach (((int sender, int senderLife), StreamInfo stream) in _streams.OrderBy(p => p.Key))
        {
            bool senderAlive = sim.IsAlive(sender) && sim.LifeOf(sender) == senderLife;
            ulong limit = senderAlive || !stream.Crashed ? (ulong)stream.PublishTimes.Count : stream.MaxDelivered;
            if (limit == 0)
            {
                continue;
            }

            for (int receiver = 0; receiver < sim.Config.NodeCount; receiver++)
            {
                if (receiver == sender || !sim.IsAlive(receiver))
                {
                    continue;
                }

                int receiverLife = sim.LifeOf(receiver);
                long start = _lifeStart[(receiver, receiverLife)];
                ulong first = start == long.MinValue ? 1 : FirstPublishedAtOrAfter(stream, start + _joinGraceUs);
                if (_exclusions.TryGetValue((sender, receiver), out Exclusion? exclusion) && exclusion.Epoch > 0)
                {
                    if (exclusion.Excluded && senderAlive)
                    {
                        ExcludedAtEnd++;
                        continue;
                    }

                    if (exclusion.RejoinedUs > start)
                    {
                        first = Math.Max(first, FirstPublishedAtOrAfter(stream, exclusion.RejoinedUs + _joinGraceUs));
                    }
                }

                if (first > limit)
                {
                    continue;
                }

                ulong required = limit - first + 1;
                ulong delivered = 0;
                if (_receivers.TryGetValue((receiver, receiverLife, sender, senderLife), out ReceiverState? state))
                {
                    ulong lo = Math.Max(first, state.First);
                    ulong hi = Math.Min(limit, state.Last);
                    delivered = hi >= lo ? hi - lo + 1 : 0;
                }

                ExpectedDeliveries += (long)required;
                MessagesDelivered += (long)delivered;
                if (delivered < required)
                {
                    long missing = (long)(required - delivered);
                    Missing += missing;
                    Violation(timeUs, $"live node {receiver} (life {receiverLife}) is missing {missing} messages of node {sender} life {senderLife}: has {(state is null ? "none" : $"{state.First}..{state.Last}")}, needs {first}..{limit}", missing);
                }
            }
        }
    }

    /// <inheritdoc/>
    public override void WriteFigures(Utf8JsonWriter json)
    {
        json.WriteStartObject("stream_delivery");
        json.WriteNumber("gaps", Gaps);
        json.WriteNumber("duplicates_or_reorders", Duplicates);
        json.WriteNumber("missing", Missing);
        json.WriteNumber("corrupt", Corrupt);
        json.WriteNumber("rejoin_skips", RejoinSkips);
        json.WriteNumber("excluded_at_end", ExcludedAtEnd);
        json.WriteEndObject();
    }

    /// <inheritdoc/>
    public override void WriteSummary(TextWriter output) =>
        output.WriteLine($"  stream delivery: {MessagesDelivered}/{ExpectedDeliveries} required deliveries, gaps {Gaps}, duplicates/reorders {Duplicates}, missing {Missing}, corrupt {Corrupt}, rejoin skips {RejoinSkips}");

    private static ulong FirstPublishedAtOrAfter(StreamInfo stream, long timeUs)
    {
        int index = stream.PublishTimes.BinarySearch(timeUs);
        if (index < 0)
        {
            index = ~index;
        }
        else
        {
            while (index > 0 && stream.PublishTimes[index - 1] == timeUs)
            {
                index--;
            }
        }

        return (ulong)index + 1;
    }

    private sealed class StreamInfo
    {
        public List<long> PublishTimes { get; } = [];

        public ulong MaxDelivered { get; set; }

        public bool Crashed { get; set; }
    }

    private sealed class ReceiverState
    {
        public ulong First { get; set; }

        public ulong Last { get; set; }

        public ulong LastSequence { get; set; }

        public int Epoch { get; set; }
    }

    /// <summary>A sender's view of one receiver: held failed now, how often so far, when last seen alive again.</summary>
    private sealed class Exclusion
    {
        public bool Excluded { get; set; }

        public int Epoch { get; set; }

        public long RejoinedUs { get; set; } = long.MinValue;
    }
}
