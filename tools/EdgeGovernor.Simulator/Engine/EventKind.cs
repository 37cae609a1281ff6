namespace EdgeGovernor.Simulator.Engine;

/// <summary>What a scheduled event does when its time comes.</summary>
public enum EventKind : byte
{
    /// <summary>A datagram arrives at a node.</summary>
    Deliver = 1,

    /// <summary>A node's timer deadline (<c>NextDeadlineUs</c>) is due.</summary>
    Tick = 2,

    /// <summary>A publisher's application sends its next message.</summary>
    Publish = 3,

    /// <summary>A scheduled action: a fault, a partition change, a sampler, or a caller's own action.</summary>
    Action = 4,

    /// <summary>The next arrival of a group send (its receivers' arrivals are kept sorted in a fan-out).</summary>
    FanOut = 5,
}
