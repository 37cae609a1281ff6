using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>
/// What a <see cref="ProtocolNode"/> did, counted since it started. Read by the firmware's /metrics and
/// by the simulator's report. Updated only on the node's thread.
/// </summary>
public sealed class ProtocolCounters
{
    private readonly long[] _drops = new long[Enum.GetValues<DropReason>().Length];

    /// <summary>Datagrams handed to the sink.</summary>
    public long DatagramsSent { get; internal set; }

    /// <summary>Bytes handed to the sink.</summary>
    public long BytesSent { get; internal set; }

    /// <summary>Datagrams passed to <see cref="ProtocolNode.Receive"/>.</summary>
    public long DatagramsReceived { get; internal set; }

    /// <summary>Bytes passed to <see cref="ProtocolNode.Receive"/>.</summary>
    public long BytesReceived { get; internal set; }

    /// <summary>Datagrams that passed every check and were dispatched.</summary>
    public long DatagramsAccepted { get; internal set; }

    /// <summary>Heartbeats sent.</summary>
    public long HeartbeatsSent { get; internal set; }

    /// <summary>Own multicast messages published.</summary>
    public long MulticastPublished { get; internal set; }

    /// <summary>Multicast messages delivered (all streams).</summary>
    public long MulticastDelivered { get; internal set; }

    /// <summary>Multicast messages received again after delivery or while held (duplicates, surplus repairs).</summary>
    public long MulticastDuplicates { get; internal set; }

    /// <summary>NACKs sent.</summary>
    public long NacksSent { get; internal set; }

    /// <summary>NACKs not sent because an overheard NACK or repair covered them.</summary>
    public long NacksSuppressed { get; internal set; }

    /// <summary>NACKs received.</summary>
    public long NacksReceived { get; internal set; }

    /// <summary>Repairs sent (by the originator or by a holder).</summary>
    public long RepairsSent { get; internal set; }

    /// <summary>Scheduled repairs cancelled because another holder's repair was overheard (or held off as repeats).</summary>
    public long RepairsSuppressed { get; internal set; }

    /// <summary>Messages skipped when joining a stream late or when its sender announced a stable point beyond ours.</summary>
    public long MessagesSkipped { get; internal set; }

    /// <summary>Messages given up after the sender failed and no holder repaired them.</summary>
    public long MessagesAbandoned { get; internal set; }

    /// <summary>Retained messages evicted before they were stable because the retention bound was reached.</summary>
    public long RetentionEvictions { get; internal set; }

    /// <summary>Multicast messages currently kept (retained, held back, own unstable), all streams.</summary>
    public long RetainedMessages { get; internal set; }

    /// <summary>Highest <see cref="RetainedMessages"/> seen.</summary>
    public long MaxRetainedMessages { get; internal set; }

    /// <summary>Reliable unicast messages accepted by TrySend.</summary>
    public long UnicastSent { get; internal set; }

    /// <summary>Reliable unicast retransmissions.</summary>
    public long UnicastRetransmits { get; internal set; }

    /// <summary>Reliable unicast messages delivered.</summary>
    public long UnicastDelivered { get; internal set; }

    /// <summary>Reliable unicast messages received again (already delivered or held).</summary>
    public long UnicastDuplicates { get; internal set; }

    /// <summary>Reliable unicast messages abandoned (peer declared failed, or too many retransmissions).</summary>
    public long UnicastAbandoned { get; internal set; }

    /// <summary>Unicast acknowledgements sent.</summary>
    public long AcksSent { get; internal set; }

    /// <summary>Exceptions caught while handling one datagram (after authentication) or in a component's tick; each
    /// dropped that datagram (<see cref="DropReason.HandlerFault"/>) or skipped that tick, and the node ran on.</summary>
    public long HandlerFaults { get; private set; }

    /// <summary>The message type being handled at the last fault (<see cref="MessageType.None"/> for a component's tick).</summary>
    public MessageType LastHandlerFaultType { get; private set; }

    /// <summary>The exception of the last fault (for the owner to log once when <see cref="HandlerFaults"/> moves), or null.</summary>
    public Exception? LastHandlerFault { get; private set; }

    /// <summary>Dropped inbound datagrams for <paramref name="reason"/>.</summary>
    public long Dropped(DropReason reason) => _drops[(int)reason];

    /// <summary>All dropped inbound datagrams.</summary>
    public long DroppedTotal { get; private set; }

    internal DropReason Fault(MessageType type, Exception exception)
    {
        HandlerFaults++;
        LastHandlerFaultType = type;
        LastHandlerFault = exception;
        return DropReason.HandlerFault;
    }

    internal void Drop(DropReason reason)
    {
        _drops[(int)reason]++;
        DroppedTotal++;
    }

    internal void Retained(int delta)
    {
        RetainedMessages += delta;
        if (RetainedMessages > MaxRetainedMessages)
        {
            MaxRetainedMessages = RetainedMessages;
        }
    }
}
