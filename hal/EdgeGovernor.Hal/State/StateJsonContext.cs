using System.Text.Json.Serialization;

namespace EdgeGovernor.Hal.State;

/// <summary>Source-generated (AOT-clean) JSON for the state file.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StateFile))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
