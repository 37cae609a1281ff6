using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>Source-generated JSON metadata for scenario files (no reflection; AOT-clean).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScenarioFile))]
public sealed partial class ScenarioJsonContext : JsonSerializerContext;
