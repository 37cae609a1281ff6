namespace EdgeGovernor.Protocol;

/// <summary>
/// The node's only output to the network. The firmware maps it onto UDP sockets, the simulator onto
/// its network model. Transports map <see cref="NodeId"/> to endpoints themselves (learned from the
/// source address of received datagrams).
/// </summary>
public interface IDatagramSink
{
    /// <summary>Sends one datagram. The span is only valid during the call: the sink copies it.</summary>
    void Send(Destination destination, ReadOnlySpan<byte> datagram);
}
