using System.Text.Json.Serialization;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>Source-generated JSON for <c>evaluate-contracts --json</c> (snake_case names, NaN written as a string).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(FederationReport))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
