namespace EdgeGovernor.Hal.Redfish;

/// <summary>Where one server's power resources are on its BMC, as discovered from the service root (no ids assumed).</summary>
/// <param name="System">The <c>ComputerSystem</c>.</param>
/// <param name="Chassis">The chassis holding the system, or null.</param>
/// <param name="PowerLimitControl">A <c>Control</c> with <c>ControlType</c> <c>Power</c>, or null.</param>
/// <param name="LegacyPower">The chassis' legacy <c>Power</c> resource, or null.</param>
/// <param name="EnvironmentMetrics">The chassis' <c>EnvironmentMetrics</c>, or null.</param>
/// <param name="PowerSupplyMetrics">The <c>Metrics</c> of each power supply of the chassis' <c>PowerSubsystem</c>.</param>
/// <param name="ResetTarget">The target of <c>#ComputerSystem.Reset</c>, or null.</param>
/// <param name="ResetTypes">The reset types the service lists (<c>@Redfish.AllowableValues</c> or its <c>ActionInfo</c>); empty when it lists none.</param>
public sealed record RedfishServerResources(
    Uri System,
    Uri? Chassis,
    Uri? PowerLimitControl,
    Uri? LegacyPower,
    Uri? EnvironmentMetrics,
    IReadOnlyList<Uri> PowerSupplyMetrics,
    Uri? ResetTarget,
    IReadOnlyList<string> ResetTypes);
