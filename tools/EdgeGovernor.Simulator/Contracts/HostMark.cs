namespace EdgeGovernor.Simulator.Contracts;

/// <summary>What a rack's scheduler did with a transfer's units (durable with the scheduler's queue; makes every
/// reaction to a journalled step idempotent, after a restart too).</summary>
internal enum HostMark
{
    /// <summary>Owner: the units left the queue when the offer was journalled.</summary>
    InFlight,

    /// <summary>Owner: committed, the units are the partner's.</summary>
    Gone,

    /// <summary>Owner: aborted, the units are back in its queue (or missed, when their deadline passed meanwhile).</summary>
    Returned,

    /// <summary>Receiver: prepared, capacity held for the units.</summary>
    Reserved,

    /// <summary>Receiver: committed, the units are in its queue.</summary>
    Queued,

    /// <summary>Receiver: aborted, the capacity released.</summary>
    Released,
}
