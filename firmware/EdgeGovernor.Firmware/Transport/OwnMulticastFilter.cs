using System.Net;
using System.Net.Sockets;
using EdgeGovernor.Hal.Interop;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>The kernel filter that drops our own multicast, looped back by IP_MULTICAST_LOOP, before it wakes the loop.</summary>
internal static class OwnMulticastFilter
{
    /// <summary>
    /// Attaches a classic BPF program that drops datagrams whose IPv4 source address and UDP source port
    /// are <paramref name="own"/> (our multicast, looped back by IP_MULTICAST_LOOP), so they never wake
    /// the loop. A socket filter sees the packet from the UDP header on; the IP header is reached
    /// through the kernel's SKF_NET_OFF window. Returns false when the kernel refused it.
    /// </summary>
    public static bool TryAttach(Socket multicast, IPEndPoint own)
    {
        const ushort LdHalfAbs = 0x28, LdWordAbs = 0x20, JeqK = 0x15, RetK = 0x06;
        const uint SkfNetOff = unchecked((uint)-0x100000);
        byte[] a = own.Address.GetAddressBytes();
        uint address = ((uint)a[0] << 24) | ((uint)a[1] << 16) | ((uint)a[2] << 8) | a[3];
        ReadOnlySpan<Libc.SockFilter> program =
        [
            new(LdHalfAbs, 0, 0, 0),                 // A = UDP source port
            new(JeqK, 0, 3, (uint)own.Port),         // not ours: accept
            new(LdWordAbs, 0, 0, SkfNetOff + 12),    // A = IPv4 source address
            new(JeqK, 0, 1, address),                // not ours: accept
            new(RetK, 0, 0, 0),                      // ours: drop
            new(RetK, 0, 0, uint.MaxValue),          // accept the whole datagram
        ];
        try
        {
            Libc.AttachFilter(multicast, program);
            return true;
        }
        catch (SocketException)
        {
            return false; // the managed source check still drops our own datagrams
        }
    }
}
