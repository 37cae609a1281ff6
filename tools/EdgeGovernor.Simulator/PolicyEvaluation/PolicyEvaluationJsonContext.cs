using System.Text.Json.Serialization;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>Source-generated JSON for the report (AOT-clean, no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(EvaluationReport))]
public sealed partial class PolicyEvaluationJsonContext : JsonSerializerContext;
