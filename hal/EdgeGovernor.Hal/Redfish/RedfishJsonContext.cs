using System.Text.Json.Serialization;
using EdgeGovernor.Hal.Redfish.Dto;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>Source-generated (AOT, no reflection) JSON metadata of every Redfish resource and request body the client reads or writes.
/// Reading is strict about types (a string where a number belongs fails), bounded in depth, and ignores members it does not know.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 32, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ODataLink))]
[JsonSerializable(typeof(ServiceRootLinks))]
[JsonSerializable(typeof(ServiceRootDto))]
[JsonSerializable(typeof(SessionServiceDto))]
[JsonSerializable(typeof(CollectionDto))]
[JsonSerializable(typeof(ChassisLinks))]
[JsonSerializable(typeof(ChassisDto))]
[JsonSerializable(typeof(ControlDto))]
[JsonSerializable(typeof(PowerLimitDto))]
[JsonSerializable(typeof(PowerMetricsDto))]
[JsonSerializable(typeof(PowerControlDto))]
[JsonSerializable(typeof(PowerDto))]
[JsonSerializable(typeof(PowerSubsystemDto))]
[JsonSerializable(typeof(PowerSupplyDto))]
[JsonSerializable(typeof(ResetActionDto))]
[JsonSerializable(typeof(SystemActionsDto))]
[JsonSerializable(typeof(SystemDto))]
[JsonSerializable(typeof(ActionParameterDto))]
[JsonSerializable(typeof(ActionInfoDto))]
[JsonSerializable(typeof(PowerEquipmentDto))]
[JsonSerializable(typeof(PowerDistributionDto))]
[JsonSerializable(typeof(ActionTargetDto))]
[JsonSerializable(typeof(OutletActionsDto))]
[JsonSerializable(typeof(OutletDto))]
[JsonSerializable(typeof(SessionRequest))]
[JsonSerializable(typeof(ResetRequest))]
[JsonSerializable(typeof(PowerStateRequest))]
[JsonSerializable(typeof(ControlPatch))]
[JsonSerializable(typeof(PowerLimitPatch))]
[JsonSerializable(typeof(PowerControlPatch))]
[JsonSerializable(typeof(PowerPatch))]
[JsonSerializable(typeof(ExtendedInfoDto))]
[JsonSerializable(typeof(ErrorBodyDto))]
[JsonSerializable(typeof(ErrorDto))]
internal sealed partial class RedfishJsonContext : JsonSerializerContext
{
}
