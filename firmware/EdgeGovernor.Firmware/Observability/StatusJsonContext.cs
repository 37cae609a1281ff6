using System.Text.Json.Serialization;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>Source-generated JSON metadata for <see cref="NodeStatus"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(NodeStatus))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
