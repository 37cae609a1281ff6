using System.Net;
using System.Net.Sockets;

namespace EdgeGovernor.TestSupport;

/// <summary>Ports on 127.0.0.1 that were free a moment ago (bound to port 0 and released), for test peers and nodes.</summary>
public static class FreePorts
{
    /// <summary>A UDP port on 127.0.0.1 that was free when asked.</summary>
    public static int Udp()
    {
        using Socket s = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>A TCP port on 127.0.0.1 that was free when asked.</summary>
    public static int Tcp()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
