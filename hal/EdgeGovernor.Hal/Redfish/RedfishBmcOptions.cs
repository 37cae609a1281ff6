namespace EdgeGovernor.Hal.Redfish;

/// <summary>How <see cref="RedfishBmc"/> drives one server through its BMC.</summary>
/// <param name="Client">The service and how to reach it.</param>
public sealed record RedfishBmcOptions(RedfishClientOptions Client)
{
    /// <summary>The <c>Id</c> of the computer system (null: the only one, or the first the service lists).</summary>
    public string? SystemId { get; init; }

    /// <summary>Which resource carries the power limit.</summary>
    public RedfishLimitPath LimitPath { get; init; } = RedfishLimitPath.Auto;

    /// <summary>Where the power reading comes from.</summary>
    public RedfishReadingSource ReadingSource { get; init; } = RedfishReadingSource.Auto;
}
