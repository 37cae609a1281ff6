using System.Text.Json.Serialization;

namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A PATCH of <c>PowerLimit</c>: <c>LimitInWatts</c> is always written (null clears the limit).</summary>
internal sealed class PowerLimitPatch
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? LimitInWatts { get; set; }

    public string? LimitException { get; set; }

    public long? CorrectionInMs { get; set; }
}
