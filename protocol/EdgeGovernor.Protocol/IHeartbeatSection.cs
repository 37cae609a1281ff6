using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>
/// Writes and reads the component section of the node's heartbeat (e.g. load figures, term, leader,
/// alternates, commit index). At most <see cref="NodeOptions.HeartbeatSectionBytes"/> bytes.
/// </summary>
public interface IHeartbeatSection
{
    /// <summary>Writes the section into <paramref name="destination"/>; returns the bytes written (0..destination.Length).
    /// Must not send through the node (the heartbeat is being built in the node's send buffer).</summary>
    int WriteHeartbeatSection(Span<byte> destination, long nowUs);

    /// <summary>The section of a received heartbeat (possibly empty).</summary>
    void ReadHeartbeatSection(in MessageHeader header, ReadOnlySpan<byte> section, long nowUs);
}
