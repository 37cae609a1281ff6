namespace EdgeGovernor.Protocol;

/// <summary>
/// Receives membership changes from an <see cref="IMembershipView"/>. <see cref="ProtocolNode"/> is the
/// listener of its view and forwards events to its delivery handler and to registered components
/// that implement this interface.
/// </summary>
public interface IMembershipListener
{
    /// <summary><paramref name="member"/> is alive: first heard, heard again after being declared failed, or restarted
    /// with a new <paramref name="incarnation"/> (then <see cref="OnMemberFailed"/> for the old incarnation comes first).</summary>
    void OnMemberAlive(NodeId member, ulong incarnation, long nowUs);

    /// <summary><paramref name="member"/>'s <paramref name="incarnation"/> is declared failed.</summary>
    void OnMemberFailed(NodeId member, ulong incarnation, long nowUs);
}
