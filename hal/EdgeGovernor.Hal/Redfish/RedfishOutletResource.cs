namespace EdgeGovernor.Hal.Redfish;

/// <summary>One outlet of a PDU as discovered under <c>PowerEquipment</c>.</summary>
/// <param name="Uri">The outlet resource.</param>
/// <param name="Pdu">The <c>Id</c> of its PDU.</param>
/// <param name="Id">The outlet's <c>Id</c> (e.g. <c>A1</c>).</param>
/// <param name="Name">The outlet's <c>Name</c>, or its id.</param>
/// <param name="PowerControl">The target of <c>#Outlet.PowerControl</c>, or null (then <c>PowerState</c> is PATCHed).</param>
public sealed record RedfishOutletResource(Uri Uri, string Pdu, string Id, string Name, Uri? PowerControl);
