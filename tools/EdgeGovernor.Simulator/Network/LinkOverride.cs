namespace EdgeGovernor.Simulator.Network;

/// <summary>
/// A link profile that applies to every datagram from a node in <see cref="From"/> to a node in
/// <see cref="To"/>. Later overrides win over earlier ones.
/// </summary>
/// <param name="From">Sender node indices.</param>
/// <param name="To">Receiver node indices.</param>
/// <param name="Profile">The profile on those links.</param>
public sealed record LinkOverride(IReadOnlyList<int> From, IReadOnlyList<int> To, LinkProfile Profile);
