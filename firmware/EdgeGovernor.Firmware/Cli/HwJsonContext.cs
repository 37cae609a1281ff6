using System.Text.Json.Serialization;

namespace EdgeGovernor.Firmware.Cli;

/// <summary>Source-generated JSON metadata of <c>edgegov hw --json</c> (no reflection: AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(HwListing))]
internal sealed partial class HwJsonContext : JsonSerializerContext;
