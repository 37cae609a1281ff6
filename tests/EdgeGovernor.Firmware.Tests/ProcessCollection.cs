namespace EdgeGovernor.Firmware.Tests;

/// <summary>The tests that start <c>edgegov</c> processes: one at a time, never in parallel with another test.</summary>
[CollectionDefinition("processes", DisableParallelization = true)]
public sealed class ProcessCollection;
