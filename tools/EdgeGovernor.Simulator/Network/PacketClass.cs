namespace EdgeGovernor.Simulator.Network;

/// <summary>How the network model and the statistics treat a datagram.</summary>
public enum PacketClass : byte
{
    /// <summary>Anything that is not application data: heartbeats, acknowledgements, votes.</summary>
    Control = 0,

    /// <summary>The first transmission of a multicast application message (the protocol adapter counts reliable
    /// unicast data, which no simulated workload sends, as <see cref="Control"/>).</summary>
    Data = 1,

    /// <summary>A retransmission or repair of application data.</summary>
    Repair = 2,

    /// <summary>A negative acknowledgement (resend request).</summary>
    Nack = 3,
}
