namespace EdgeGovernor.Simulator.Engine;

/// <summary>
/// A protocol event a node reports beyond deliveries. <see cref="Kind"/> is free text that
/// adapters and checkers agree on (e.g. "member-failed", "leader"), with up to three numbers.
/// </summary>
public readonly record struct NodeObservation(string Kind, long A = 0, long B = 0, long C = 0);
