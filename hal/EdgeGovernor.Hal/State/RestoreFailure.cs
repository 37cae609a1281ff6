namespace EdgeGovernor.Hal.State;

/// <summary>One entry that could not be restored.</summary>
public sealed record RestoreFailure(SavedActuatorState State, HalException Error);
