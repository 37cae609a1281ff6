using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>
/// Configuration of one <see cref="ProtocolNode"/>. Validated by <see cref="Validate"/> (called by the
/// node's constructor) with <see cref="ArgumentException"/>s that name the bad setting. Times are in
/// microseconds.
/// </summary>
public sealed record NodeOptions
{
    /// <summary>This node's id (not 0).</summary>
    public required NodeId Node { get; init; }

    /// <summary>This run's incarnation: must strictly increase at every restart (a persisted boot counter, or the
    /// wall-clock microseconds at start). Receivers drop datagrams of older incarnations as replays.</summary>
    public required ulong Incarnation { get; init; }

    /// <summary>The cluster id carried in every header; datagrams of other clusters are dropped.</summary>
    public required uint ClusterId { get; init; }

    /// <summary>The key used to seal datagrams (and accepted).</summary>
    public required ClusterKey Key { get; init; }

    /// <summary>A second accepted key (normally the previous one during a rotation), or null.</summary>
    public ClusterKey? PreviousKey { get; init; }

    /// <summary>Period of the multicast heartbeat (stream figures, delivery reports, component section). Default 100 ms.</summary>
    public long HeartbeatIntervalUs { get; init; } = 100_000;

    /// <summary>Silence after which the built-in <see cref="Membership.HeartbeatMembership"/> declares a member failed. Default 1 s.</summary>
    public long FailureTimeoutUs { get; init; } = 1_000_000;

    /// <summary>Round-trip time estimate; scales NACK backoff, repair holdoff and the first unicast retransmission. Default 10 ms.</summary>
    public long RttEstimateUs { get; init; } = 10_000;

    /// <summary>Largest NACK/repair backoff in round-trip times (NORM's backoff factor). Default 6: NACKs go unicast to a live
    /// sender, so receivers are suppressed only by the repair, a full round trip after the first NACK (NORM uses 4 when
    /// NACKs are multicast and suppress after half a round trip). Expected NACKs per loss seen by all of N receivers:
    /// about 1 + N (e^(lambda/k) - 1) / (e^lambda - 1), lambda = ln N + 1, k = this factor (N = 1000: 2.0 for k = 6, 3.3 for k = 4).</summary>
    public double NackBackoffFactor { get; init; } = 6.0;

    /// <summary>Period of the gap check that (re)arms NACK timers. Default 20 ms.</summary>
    public long GapCheckIntervalUs { get; init; } = 20_000;

    /// <summary>NACK rounds for a gap whose sender has failed before the gap is given up (counted). Default 16.</summary>
    public int MaxNackRoundsAfterFailure { get; init; } = 16;

    /// <summary>Own multicast messages not yet stable (delivered by every live member); <see cref="ProtocolNode.TryPublish(ReadOnlySpan{byte}, long)"/>
    /// returns false beyond it. Default 256.</summary>
    public int MulticastSendWindow { get; init; } = 256;

    /// <summary>Slots per received multicast stream, shared by retained (delivered, not yet stable) and held-back
    /// (arrived out of order) messages; bounds memory per stream. At least <see cref="MulticastSendWindow"/>. Default 512.</summary>
    public int MulticastRetention { get; init; } = 512;

    /// <summary>Unacknowledged reliable unicast messages per peer; <see cref="ProtocolNode.TrySend(NodeId, ReadOnlySpan{byte}, long)"/> returns false beyond it. Default 64.</summary>
    public int UnicastWindow { get; init; } = 64;

    /// <summary>First unicast retransmission timeout (doubles per retry). Default 3 x RTT estimate when 0.</summary>
    public long UnicastRtoUs { get; init; }

    /// <summary>Largest unicast retransmission timeout. Default 1 s.</summary>
    public long UnicastMaxRtoUs { get; init; } = 1_000_000;

    /// <summary>Retransmissions of one unicast message before it is abandoned even though the peer is not declared failed. Default 64.</summary>
    public int UnicastMaxRetransmits { get; init; } = 64;

    /// <summary>Replay window per sender in datagrams (multiple of 64). Default 256.</summary>
    public int ReplayWindowSize { get; init; } = 256;

    /// <summary>Most distinct senders tracked (replay windows, streams, peers). Default 4096.</summary>
    public int MaxSenders { get; init; } = 4096;

    /// <summary>Bytes of the heartbeat reserved for the component section (<see cref="IHeartbeatSection"/>). Default 256.</summary>
    public int HeartbeatSectionBytes { get; init; } = 256;

    /// <summary>The effective first unicast retransmission timeout.</summary>
    public long EffectiveUnicastRtoUs => UnicastRtoUs > 0 ? UnicastRtoUs : 3 * RttEstimateUs;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(Node.IsValid, nameof(Node), "must not be 0");
        Require(Incarnation != 0, nameof(Incarnation), "must not be 0");
        Require(Key is not null, nameof(Key), "is required");
        Require(PreviousKey is null || PreviousKey.KeyId != Key!.KeyId, nameof(PreviousKey), "must have a key id other than the current key's");
        Require(HeartbeatIntervalUs > 0, nameof(HeartbeatIntervalUs), "must be positive");
        Require(FailureTimeoutUs > HeartbeatIntervalUs, nameof(FailureTimeoutUs), "must exceed the heartbeat interval");
        Require(RttEstimateUs > 0, nameof(RttEstimateUs), "must be positive");
        Require(NackBackoffFactor >= 0 && double.IsFinite(NackBackoffFactor), nameof(NackBackoffFactor), "must be a finite number >= 0");
        Require(GapCheckIntervalUs > 0, nameof(GapCheckIntervalUs), "must be positive");
        Require(MaxNackRoundsAfterFailure >= 1, nameof(MaxNackRoundsAfterFailure), "must be at least 1");
        Require(MulticastSendWindow is >= 1 and <= 1 << 16, nameof(MulticastSendWindow), "must be 1..65536");
        Require(MulticastRetention >= MulticastSendWindow && MulticastRetention <= 1 << 17, nameof(MulticastRetention), "must be at least MulticastSendWindow and at most 131072");
        Require(UnicastWindow is >= 1 and <= 64, nameof(UnicastWindow), "must be 1..64 (the selective ack covers 64 messages)");
        Require(UnicastRtoUs >= 0, nameof(UnicastRtoUs), "must be >= 0 (0: 3 x RttEstimateUs)");
        Require(UnicastMaxRtoUs >= EffectiveUnicastRtoUs, nameof(UnicastMaxRtoUs), "must be at least the first retransmission timeout");
        Require(UnicastMaxRetransmits >= 1, nameof(UnicastMaxRetransmits), "must be at least 1");
        Require(ReplayWindowSize > 0 && ReplayWindowSize % 64 == 0 && ReplayWindowSize <= 1 << 16, nameof(ReplayWindowSize), "must be a positive multiple of 64, at most 65536");
        Require(MaxSenders >= 1, nameof(MaxSenders), "must be at least 1");
        Require(HeartbeatSectionBytes is >= 0 and <= 512, nameof(HeartbeatSectionBytes), "must be 0..512");
    }

    private static void Require(bool condition, string setting, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"NodeOptions.{setting} {rule}.", setting);
        }
    }
}
