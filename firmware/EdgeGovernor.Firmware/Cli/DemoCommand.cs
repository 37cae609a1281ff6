namespace EdgeGovernor.Firmware.Cli;

/// <summary><c>edgegov demo</c>: a cluster of local processes on loopback multicast.</summary>
/// <param name="PricesCsv">Replay this price CSV instead of the synthetic profile.</param>
/// <param name="Nodes">Number of node processes.</param>
/// <param name="DurationSeconds">Wall seconds for one simulated day.</param>
/// <param name="Seed">Seed of the synthetic prices and the simulated racks.</param>
/// <param name="Plain">No live redraw (plain log lines), for logs and CI.</param>
/// <param name="Contracts">Two owners' racks trading load under a contract instead (<see cref="Demo.ContractDemo"/>).</param>
internal sealed record DemoCommand(string? PricesCsv, int Nodes, double DurationSeconds, ulong Seed, bool Plain, bool Contracts = false) : CliCommand;
