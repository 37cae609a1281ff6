namespace EdgeGovernor.Hal.State;

/// <summary>The state file's JSON shape.</summary>
internal sealed record StateFile(int Version, List<SavedActuatorState> Entries);
