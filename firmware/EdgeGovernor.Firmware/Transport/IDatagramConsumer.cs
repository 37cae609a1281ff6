using System.Net;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>Receives datagrams from the transport on the protocol loop's thread.</summary>
internal interface IDatagramConsumer
{
    /// <summary>One datagram; <paramref name="datagram"/> and <paramref name="source"/> are valid only during the call.</summary>
    void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source, bool multicast);
}
