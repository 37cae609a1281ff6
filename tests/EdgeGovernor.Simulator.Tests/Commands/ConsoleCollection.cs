namespace EdgeGovernor.Simulator.Tests.Commands;

[CollectionDefinition("console", DisableParallelization = true)]
public sealed class ConsoleCollection;
