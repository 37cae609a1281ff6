namespace EdgeGovernor.Protocol.Wire;

/// <summary>Why an inbound datagram was dropped. Every drop is counted by reason, never thrown.</summary>
public enum DropReason
{
    /// <summary>Not dropped.</summary>
    None = 0,

    /// <summary>Shorter than header plus tag.</summary>
    TooShort,

    /// <summary>The magic number is wrong.</summary>
    BadMagic,

    /// <summary>The version is not one this build speaks.</summary>
    UnknownVersion,

    /// <summary>The cluster id is not ours.</summary>
    WrongCluster,

    /// <summary>The payload length field disagrees with the datagram length, or exceeds the maximum.</summary>
    LengthMismatch,

    /// <summary>The key id is neither the current nor the previous key.</summary>
    UnknownKeyId,

    /// <summary>The authentication tag does not verify.</summary>
    BadTag,

    /// <summary>Replayed: the sender's incarnation and datagram sequence were seen before, lie far below the
    /// replay window, or belong to an older incarnation.</summary>
    Replayed,

    /// <summary>Header fields that authenticate but make no sense (sender id 0, sequence 0, invalid type).</summary>
    InvalidHeader,

    /// <summary>Our own datagram looped back by the transport.</summary>
    OwnDatagram,

    /// <summary>No handler is registered for the message type.</summary>
    UnknownType,

    /// <summary>The payload of an otherwise valid datagram does not parse for its type.</summary>
    MalformedPayload,

    /// <summary>A multicast message lies beyond the holdback queue's bound.</summary>
    HoldbackFull,

    /// <summary>The replay table is full (more distinct senders than configured).</summary>
    TooManySenders,

    /// <summary>Handling the authenticated datagram threw (a defect in a handler or component): the exception was caught,
    /// counted (<see cref="ProtocolCounters.HandlerFaults"/>) and the datagram dropped; the node runs on.</summary>
    HandlerFault,

    /// <summary>An authority-carrying message (vote request or response, coordinator heartbeat section, price record)
    /// whose Ed25519 signature is missing, does not verify against the signer's public keys (unknown or removed board), or
    /// is a replay (an old beat number, a vote response for another candidate). Counted by the cluster layer, which drops
    /// the message before anything acts on it; the datagram itself authenticated.</summary>
    BadSignature,
}
