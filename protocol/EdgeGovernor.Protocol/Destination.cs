namespace EdgeGovernor.Protocol;

/// <summary>Where a datagram goes: one peer, or the whole group (multicast).</summary>
public readonly record struct Destination
{
    private Destination(NodeId peer) => Peer = peer;

    /// <summary>The group (multicast) destination.</summary>
    public static Destination Group => default;

    /// <summary>A single peer.</summary>
    public static Destination To(NodeId peer)
    {
        if (!peer.IsValid)
        {
            throw new ArgumentException("A unicast destination needs a valid node id (not 0).", nameof(peer));
        }

        return new Destination(peer);
    }

    /// <summary>The peer, or <see cref="NodeId.None"/> for the group.</summary>
    public NodeId Peer { get; }

    /// <summary>True when this is the group destination.</summary>
    public bool IsGroup => !Peer.IsValid;

    /// <inheritdoc/>
    public override string ToString() => IsGroup ? "group" : Peer.ToString();
}
