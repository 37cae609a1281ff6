namespace EdgeGovernor.Firmware.Configuration;

/// <summary>Sockets: a multicast socket joined on <see cref="Interface"/> and a unicast socket.</summary>
internal sealed class NetworkConfig
{
    /// <summary>IPv4 multicast group, in 224.0.0.0/4 (239.0.0.0/8 recommended: administratively scoped).</summary>
    public string MulticastGroup { get; set; } = "239.192.42.1";

    /// <summary>UDP port of the multicast group.</summary>
    public int MulticastPort { get; set; } = 47420;

    /// <summary>IPv4 address of the interface to join the group on and send multicast from.</summary>
    public string Interface { get; set; } = "127.0.0.1";

    /// <summary>UDP port of the unicast socket (all sends leave from it). 0 picks a free port.</summary>
    public int UnicastPort { get; set; } = 47421;

    /// <summary>Multicast TTL: 1 keeps traffic on the local segment.</summary>
    public int MulticastTtl { get; set; } = 1;

    /// <summary>Deliver our own multicast to local sockets (needed when nodes share one host).</summary>
    public bool MulticastLoopback { get; set; } = true;

    /// <summary>Peers' unicast endpoints known in advance ("host:port"); others are learned from traffic.</summary>
    public PeerConfig[] Peers { get; set; } = [];

    /// <summary>Slots of the receive queue between the socket threads and the protocol loop.</summary>
    public int ReceiveQueueSlots { get; set; } = 1024;
}
