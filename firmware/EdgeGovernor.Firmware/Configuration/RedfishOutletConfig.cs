namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// A server's outlet on a switched rack PDU reached over Redfish (<c>servers[].outlet.redfish</c>): the PDU's endpoint
/// and the outlet's <c>Id</c> (or <c>pdu/outlet</c> when the service has several PDUs). Servers on the same PDU
/// (same <see cref="RedfishEndpointConfig.Address"/>) share one client and one loop; the dwell and hourly cap are the
/// outlet's (<c>servers[].outlet.minimumDwellSeconds</c>, <c>maxTogglesPerHour</c>).
/// </summary>
internal sealed class RedfishOutletConfig : RedfishEndpointConfig
{
    /// <summary>The outlet's <c>Id</c> under the PDU's <c>Outlets</c> (e.g. <c>A1</c>), or <c>pdu/outlet</c>.</summary>
    public string Outlet { get; set; } = "";
}
