using System.Net;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>Socket settings of <see cref="UdpTransport"/>.</summary>
/// <param name="Group">Multicast group (IPv4).</param>
/// <param name="GroupPort">Multicast port.</param>
/// <param name="Interface">Address of the interface to join on and send multicast from; the unicast socket binds to it.</param>
/// <param name="UnicastPort">Unicast port (0: any free port).</param>
/// <param name="Ttl">Multicast TTL.</param>
/// <param name="Loopback">IP_MULTICAST_LOOP (needed when several nodes share a host).</param>
/// <param name="QueueSlots">Receive slots: the most datagrams taken from a socket per system call (at most
/// <see cref="UdpTransport.MaxReceiveSlots"/> are allocated, 2 KiB each). The sockets' kernel buffers (4 MiB) are the queue.</param>
internal sealed record UdpTransportOptions(IPAddress Group, int GroupPort, IPAddress Interface, int UnicastPort, int Ttl = 1, bool Loopback = true, int QueueSlots = 1024);
