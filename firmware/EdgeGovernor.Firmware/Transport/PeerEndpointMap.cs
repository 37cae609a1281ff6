using System.Net;
using System.Net.Sockets;

namespace EdgeGovernor.Firmware.Transport;

/// <summary>
/// NodeId -> unicast endpoint, seeded from configuration and learned from the source address of
/// datagrams the protocol has accepted (authenticated) from that node. Used on the protocol
/// loop's thread only. Learning an unchanged address costs a byte compare and allocates nothing;
/// a new or moved peer allocates one <see cref="SocketAddress"/>.
/// </summary>
internal sealed class PeerEndpointMap
{
    private readonly Dictionary<uint, SocketAddress> _endpoints = [];
    private long _moves;

    /// <summary>Known peers.</summary>
    public int Count => _endpoints.Count;

    /// <summary>Times a known peer's address changed (restart on another port, DHCP).</summary>
    public long Moves => _moves;

    /// <summary>Adds a configured endpoint.</summary>
    public void Add(uint nodeId, IPEndPoint endpoint) => _endpoints[nodeId] = endpoint.Serialize();

    /// <summary>Records that <paramref name="nodeId"/> sent from <paramref name="source"/>; true when that is new.</summary>
    public bool Learn(uint nodeId, SocketAddress source)
    {
        if (_endpoints.TryGetValue(nodeId, out SocketAddress? known))
        {
            if (known.Equals(source))
            {
                return false;
            }
            _moves++;
        }
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(copy.Buffer.Span);
        _endpoints[nodeId] = copy;
        return true;
    }

    /// <summary>The endpoint of <paramref name="nodeId"/>, if known.</summary>
    public bool TryGet(uint nodeId, out SocketAddress address) => _endpoints.TryGetValue(nodeId, out address!);

    /// <summary>A readable copy of the map for /status (allocates; not for hot paths).</summary>
    public List<(uint NodeId, string Endpoint)> Snapshot()
    {
        var list = new List<(uint, string)>(_endpoints.Count);
        foreach (KeyValuePair<uint, SocketAddress> pair in _endpoints)
        {
            string text = pair.Value.Family == AddressFamily.InterNetwork
                ? new IPEndPoint(IPAddress.Any, 0).Create(pair.Value).ToString() ?? "?"
                : "?";
            list.Add((pair.Key, text));
        }
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }
}
