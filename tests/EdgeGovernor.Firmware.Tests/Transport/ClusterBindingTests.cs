using System.Net;
using System.Net.Sockets;
using EdgeGovernor.Firmware.Transport;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Tests.Transport;

/// <summary>The binding's peer-endpoint map: learned from authenticated datagrams only, shown to /status, used to route.</summary>
public sealed class ClusterBindingTests
{
    private static UdpTransport Open()
    {
        var (group, port) = TransportTests.FreshGroup();
        return new UdpTransport(new UdpTransportOptions(group, port, IPAddress.Loopback, 0));
    }

    [Fact]
    public void Only_an_authenticated_sender_is_learned_and_a_move_is_learned_again()
    {
        using UdpTransport transport = Open();
        var binding = new ClusterBinding(transport, () => 0);
        IReadOnlyDictionary<uint, string> empty = binding.PeerEndpoints;
        Assert.Empty(empty);

        SocketAddress first = new IPEndPoint(IPAddress.Loopback, 40_001).Serialize();
        Assert.False(binding.Learn(new ReceiveResult(DropReason.BadTag, NodeId.None), first));
        Assert.Same(empty, binding.PeerEndpoints);

        Assert.True(binding.Learn(new ReceiveResult(DropReason.None, new NodeId(7)), first));
        Assert.Equal("127.0.0.1:40001", binding.PeerEndpoints[7]);
        IReadOnlyDictionary<uint, string> shown = binding.PeerEndpoints;

        // The same source again changes nothing (and copies nothing); a new source is a move.
        Assert.False(binding.Learn(new ReceiveResult(DropReason.None, new NodeId(7)), new IPEndPoint(IPAddress.Loopback, 40_001).Serialize()));
        Assert.Same(shown, binding.PeerEndpoints);
        Assert.True(binding.Learn(new ReceiveResult(DropReason.None, new NodeId(7)), new IPEndPoint(IPAddress.Loopback, 40_002).Serialize()));
        Assert.Equal("127.0.0.1:40002", binding.PeerEndpoints[7]);
        Assert.Equal("127.0.0.1:40001", shown[7]); // a reader's copy never changes under it
    }

    [Fact]
    public void Unicast_goes_to_the_learned_or_configured_endpoint_and_an_unknown_peer_is_counted()
    {
        using UdpTransport transport = Open();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.ReceiveTimeout = 5_000;
        var binding = new ClusterBinding(transport, () => 0);

        binding.Send(Destination.To(new NodeId(3)), "lost"u8);
        Assert.Equal(1, binding.Unroutable);
        Assert.Equal(0, transport.DatagramsSent);

        binding.AddPeer(2, (IPEndPoint)peer.LocalEndPoint!);
        Assert.Empty(binding.PeerEndpoints); // configured peers are shown once they have been heard from
        binding.Send(Destination.To(new NodeId(2)), "configured"u8);
        Assert.True(binding.Learn(new ReceiveResult(DropReason.None, new NodeId(3)), peer.LocalEndPoint!.Serialize()));
        binding.Send(Destination.To(new NodeId(3)), "learned"u8);

        byte[] buffer = new byte[64];
        Assert.Equal("configured"u8.ToArray(), buffer[..peer.Receive(buffer)]);
        Assert.Equal("learned"u8.ToArray(), buffer[..peer.Receive(buffer)]);
        Assert.Equal(1, binding.Unroutable);
        Assert.Equal(2, transport.DatagramsSent);
    }
}
