using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>Source-generated JSON metadata for the configuration (no reflection: AOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(FirmwareConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
