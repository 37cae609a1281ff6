using EdgeGovernor.Protocol;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// The network between the racks' controllers in <c>evaluate-contracts</c>, in steps of one minute: every contract
/// message is lost with probability <see cref="Loss"/>, else delivered after 1..<see cref="MaxDelaySteps"/> steps
/// (so messages overtake each other), and duplicated (a second copy, later) with probability <see cref="Duplicate"/>.
/// A message reaching a controller that is down is lost. Below the exchange there is no retransmission (the node's
/// reliable unicast would hide most loss; this network does not, so the exchange's own retries are what is tested).
/// </summary>
internal sealed class ContractNetwork(Random random, double loss, double duplicate)
{
    /// <summary>Longest delivery delay in steps.</summary>
    public const int MaxDelaySteps = 3;

    private readonly SortedDictionary<long, List<(NodeId From, NodeId To, byte[] Payload)>> _due = [];

    public double Loss { get; set; } = loss;

    public double Duplicate { get; set; } = duplicate;

    /// <summary>Messages sent (each send once, whatever became of it).</summary>
    public long Sent { get; private set; }

    /// <summary>Messages lost (by the loss draw; those reaching a controller that is down are counted by the run).</summary>
    public long Lost { get; private set; }

    /// <summary>Messages still travelling.</summary>
    public int InFlight => _due.Values.Sum(l => l.Count);

    public void Send(NodeId from, NodeId to, ReadOnlySpan<byte> payload, long step)
    {
        Sent++;
        if (random.NextDouble() < Loss)
        {
            Lost++;
            return;
        }

        byte[] copy = payload.ToArray();
        Enqueue(step + random.Next(1, MaxDelaySteps + 1), from, to, copy);
        if (random.NextDouble() < Duplicate)
        {
            Enqueue(step + random.Next(1, (2 * MaxDelaySteps) + 1), from, to, copy);
        }
    }

    /// <summary>Takes the messages due at or before <paramref name="step"/> (in arrival order).</summary>
    public List<(NodeId From, NodeId To, byte[] Payload)>? TakeDue(long step)
    {
        List<(NodeId, NodeId, byte[])>? taken = null;
        while (_due.Count > 0)
        {
            KeyValuePair<long, List<(NodeId, NodeId, byte[])>> first = _due.First();
            if (first.Key > step)
            {
                break;
            }
            _due.Remove(first.Key);
            if (taken is null)
            {
                taken = first.Value;
            }
            else
            {
                taken.AddRange(first.Value);
            }
        }
        return taken;
    }

    private void Enqueue(long step, NodeId from, NodeId to, byte[] payload)
    {
        if (!_due.TryGetValue(step, out List<(NodeId, NodeId, byte[])>? list))
        {
            list = [];
            _due.Add(step, list);
        }
        list.Add((from, to, payload));
    }
}
