namespace EdgeGovernor.Policy;

/// <summary>What the firmware measured of one server at the start of a control period.</summary>
/// <param name="PoweredOn">The server is up (a server booting in this interval counts as down until the interval ends).</param>
/// <param name="IntervalsInState">Whole market intervals since it last changed between up and down (at least 1).</param>
/// <param name="CyclesToday">Power-offs since midnight.</param>
/// <param name="Demand">Interactive work waiting, as a fraction of the server's full-load throughput (0..1).</param>
public readonly record struct ServerState(bool PoweredOn, int IntervalsInState, int CyclesToday, double Demand);
