namespace EdgeGovernor.Simulator.Engine;

/// <summary>The engine's own counts of a run (what the checkers count is in the checkers).</summary>
public sealed class SimulationStats
{
    /// <summary>Events taken off the agenda.</summary>
    public long EventsProcessed { get; internal set; }

    /// <summary>Datagrams the nodes sent (a group send counts once).</summary>
    public long DatagramsSent { get; internal set; }

    /// <summary>Bytes the nodes sent (a group send counts once).</summary>
    public long BytesSent { get; internal set; }

    /// <summary>Datagrams sent that were first transmissions of application data.</summary>
    public long DataSent { get; internal set; }

    /// <summary>Datagrams sent that were repairs or retransmissions.</summary>
    public long RepairsSent { get; internal set; }

    /// <summary>Datagrams sent that were NACKs.</summary>
    public long NacksSent { get; internal set; }

    /// <summary>Datagrams sent that were other control traffic.</summary>
    public long ControlSent { get; internal set; }

    /// <summary>Datagram copies handed to a receiving node.</summary>
    public long DatagramsArrived { get; internal set; }

    /// <summary>Bytes handed to receiving nodes.</summary>
    public long BytesArrived { get; internal set; }

    /// <summary>Datagrams lost at the sender (no receiver got them).</summary>
    public long LostAtSender { get; internal set; }

    /// <summary>Per-receiver losses (one per receiver that missed a datagram on its link).</summary>
    public long LostAtReceiver { get; internal set; }

    /// <summary>Per-receiver copies stopped by a partition or one-way block.</summary>
    public long BlockedByPartition { get; internal set; }

    /// <summary>Extra copies made by duplication.</summary>
    public long Duplicated { get; internal set; }

    /// <summary>Datagrams that arrived at a crashed node and were lost.</summary>
    public long ArrivedAtCrashedNode { get; internal set; }

    /// <summary>Unicasts to a node id that is not in the simulation.</summary>
    public long UnknownDestination { get; internal set; }

    /// <summary>
    /// Loss events: first transmissions of multicast data that at least one live receiver (other
    /// than the sender) did not get, whether lost at the sender, on its link, or blocked by a
    /// partition. A message missed by 10 receivers is one loss event.
    /// </summary>
    public long LossEvents { get; internal set; }

    /// <summary>(message, receiver) pairs behind the loss events.</summary>
    public long ReceiverMisses { get; internal set; }

    /// <summary>Messages the application published successfully.</summary>
    public long MessagesPublished { get; internal set; }

    /// <summary>Publish attempts the node refused with a full window (retried later).</summary>
    public long PublishRefused { get; internal set; }

    /// <summary>Ordered multicast deliveries reported by all nodes (to themselves included).</summary>
    public long DeliveriesReported { get; internal set; }

    /// <summary>Node crashes.</summary>
    public long Crashes { get; internal set; }

    /// <summary>Node restarts.</summary>
    public long Restarts { get; internal set; }

    /// <summary>The most messages any node retained at any sample.</summary>
    public int MaxRetentionPerNode { get; internal set; }

    /// <summary>The most messages any live node retained at the end of the run.</summary>
    public int FinalMaxRetention { get; internal set; }

    /// <summary>Sum over live nodes of retained messages at the end of the run.</summary>
    public long FinalTotalRetention { get; internal set; }

    /// <summary>Most datagram buffers in flight at once (pool high-water mark).</summary>
    public int PacketBuffersCreated { get; internal set; }
}
