namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The type byte of the wire header. Values 1-15 belong to the core (this folder and
/// <see cref="ProtocolNode"/>); 16-63 are reserved for the cluster layer (membership, election,
/// price log), which registers an <see cref="IProtocolComponent"/> for them; 64-127 are free for
/// further extensions; 0 and 128-255 are invalid.
/// </summary>
public enum MessageType : byte
{
    /// <summary>Invalid; never sent.</summary>
    None = 0,

    /// <summary>Periodic multicast heartbeat: the sender's stream figures, delivered-up-to reports and a component section.</summary>
    Heartbeat = 1,

    /// <summary>An original message of the sender's reliable ordered multicast stream.</summary>
    MulticastData = 2,

    /// <summary>A request to resend missing multicast messages of one stream.</summary>
    Nack = 3,

    /// <summary>A resent multicast message (by its originator or by any holder).</summary>
    Repair = 4,

    /// <summary>A message of the reliable unicast channel.</summary>
    UnicastData = 5,

    /// <summary>A cumulative + selective acknowledgement of the reliable unicast channel.</summary>
    UnicastAck = 6,

    /// <summary>First value reserved for the cluster layer.</summary>
    ClusterFirst = 16,

    /// <summary>Reserved: the cluster layer's own heartbeat extension message, if it sends one separately.</summary>
    HeartbeatExt = 16,

    /// <summary>Reserved: Raft/PARMCEA vote request.</summary>
    VoteRequest = 17,

    /// <summary>Reserved: vote response.</summary>
    VoteResponse = 18,

    /// <summary>Reserved: PreVote request.</summary>
    PreVoteRequest = 19,

    /// <summary>Reserved: PreVote response.</summary>
    PreVoteResponse = 20,

    /// <summary>Reserved: direct failure-detector probe.</summary>
    Probe = 21,

    /// <summary>Reserved: answer to a probe.</summary>
    ProbeAck = 22,

    /// <summary>Reserved: indirect probe request (probe on my behalf).</summary>
    ProbeRequest = 23,

    /// <summary>Reserved: price log record (if not carried on a multicast channel).</summary>
    PriceRecord = 24,

    /// <summary>Reserved: price log acknowledgement.</summary>
    PriceAck = 25,

    /// <summary>Reserved: coordinator announcement.</summary>
    CoordinatorAnnounce = 26,

    /// <summary>Last value reserved for the cluster layer.</summary>
    ClusterLast = 63,

    /// <summary>First value free for other extensions.</summary>
    ExtensionFirst = 64,

    /// <summary>Last valid type value.</summary>
    ExtensionLast = 127,
}
