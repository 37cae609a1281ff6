using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeGovernor.Hal.Interop;

namespace EdgeGovernor.Hal.State;

/// <summary>One entry that could not be restored.</summary>
public sealed record RestoreFailure(SavedActuatorState State, HalException Error);
