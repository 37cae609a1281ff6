using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Redfish.Dto;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>
/// Finds a server's and a PDU's resources by following links from the service root (<c>Systems</c>, <c>Chassis</c>,
/// <c>PowerEquipment</c>): nothing is assumed about resource ids. Collections are read up to 256 members.
/// </summary>
internal static class RedfishDiscovery
{
    private const int MaxMembers = 256;

    /// <summary>The server's resources: the system whose <c>Id</c> is <paramref name="systemId"/> (or the only one / the first).</summary>
    public static async ValueTask<RedfishServerResources> DiscoverServerAsync(RedfishClient client, string? systemId, CancellationToken ct)
    {
        ServiceRootDto root = await client.GetServiceRootAsync(ct).ConfigureAwait(false);
        Uri? system = null;
        SystemDto? systemDto = null;
        foreach (Uri member in await MembersAsync(client, root.Systems, "Systems", ct).ConfigureAwait(false))
        {
            SystemDto candidate = await GetAsync(client, member, "system", RedfishJsonContext.Default.SystemDto, ct).ConfigureAwait(false);
            if (systemId is null || candidate.Id == systemId)
            {
                (system, systemDto) = (member, candidate);
                break;
            }
        }

        if (system is null || systemDto is null)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, systemId is null
                ? "Redfish service lists no computer system"
                : $"Redfish service has no computer system with Id '{systemId}'");
        }

        Uri? resetTarget = null;
        List<string> resetTypes = [];
        if (systemDto.Actions?.Reset is { } reset)
        {
            resetTarget = client.Resolve(reset.Target, "ComputerSystem.Reset");
            if (reset.AllowableResetTypes is { } allowed)
            {
                resetTypes.AddRange(allowed.Take(64));
            }
            else if (reset.ActionInfo is { } info)
            {
                ActionInfoDto actionInfo = await GetAsync(client, client.Resolve(info, "ActionInfo"), "ActionInfo", RedfishJsonContext.Default.ActionInfoDto, ct).ConfigureAwait(false);
                foreach (ActionParameterDto? p in actionInfo.Parameters ?? [])
                {
                    if (p?.Name == "ResetType" && p.AllowableValues is { } values)
                    {
                        resetTypes.AddRange(values.Take(64));
                    }
                }
            }
        }

        // The chassis: the one linking to the system, else the only one.
        Uri? chassis = null;
        ChassisDto? chassisDto = null;
        List<Uri> allChassis = await MembersAsync(client, root.Chassis, "Chassis", ct).ConfigureAwait(false);
        foreach (Uri member in allChassis)
        {
            ChassisDto candidate = await GetAsync(client, member, "chassis", RedfishJsonContext.Default.ChassisDto, ct).ConfigureAwait(false);
            bool links = candidate.Links?.ComputerSystems?.Exists(l => l?.Id is { } id && client.Resolve(id, "chassis") == system) == true;
            if (links || allChassis.Count == 1)
            {
                (chassis, chassisDto) = (member, candidate);
                break;
            }
        }

        Uri? control = null;
        var supplies = new List<Uri>();
        if (chassisDto is not null)
        {
            foreach (Uri member in await MembersAsync(client, chassisDto.Controls, "Controls", ct).ConfigureAwait(false))
            {
                ControlDto candidate = await GetAsync(client, member, "control", RedfishJsonContext.Default.ControlDto, ct).ConfigureAwait(false);
                if (candidate.ControlType == "Power" && candidate.SetPointUnits is null or "W")
                {
                    control = member;
                    break;
                }
            }

            if (chassisDto.PowerSubsystem?.Id is { } subsystemPath)
            {
                PowerSubsystemDto subsystem = await GetAsync(client, client.Resolve(subsystemPath, "chassis"), "PowerSubsystem", RedfishJsonContext.Default.PowerSubsystemDto, ct).ConfigureAwait(false);
                foreach (Uri member in await MembersAsync(client, subsystem.PowerSupplies, "PowerSupplies", ct).ConfigureAwait(false))
                {
                    PowerSupplyDto supply = await GetAsync(client, member, "power supply", RedfishJsonContext.Default.PowerSupplyDto, ct).ConfigureAwait(false);
                    if (supply.Metrics?.Id is { } metrics)
                    {
                        supplies.Add(client.Resolve(metrics, "power supply"));
                    }
                }
            }
        }

        return new RedfishServerResources(
            system,
            chassis,
            control,
            chassisDto?.Power?.Id is { } power ? client.Resolve(power, "chassis") : null,
            chassisDto?.EnvironmentMetrics?.Id is { } environment ? client.Resolve(environment, "chassis") : null,
            supplies,
            resetTarget,
            resetTypes);
    }

    /// <summary>Every outlet of every rack and floor PDU under <c>PowerEquipment</c>.</summary>
    public static async ValueTask<List<RedfishOutletResource>> DiscoverOutletsAsync(RedfishClient client, CancellationToken ct)
    {
        ServiceRootDto root = await client.GetServiceRootAsync(ct).ConfigureAwait(false);
        if (root.PowerEquipment?.Id is not { } equipmentPath)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, "Redfish service has no PowerEquipment: not a PDU");
        }

        PowerEquipmentDto equipment = await GetAsync(client, client.Resolve(equipmentPath, "service root"), "PowerEquipment", RedfishJsonContext.Default.PowerEquipmentDto, ct).ConfigureAwait(false);
        var outlets = new List<RedfishOutletResource>();
        foreach (ODataLink? collection in new[] { equipment.RackPDUs, equipment.FloorPDUs })
        {
            foreach (Uri pduUri in await MembersAsync(client, collection, "PDUs", ct).ConfigureAwait(false))
            {
                PowerDistributionDto pdu = await GetAsync(client, pduUri, "PDU", RedfishJsonContext.Default.PowerDistributionDto, ct).ConfigureAwait(false);
                foreach (Uri outletUri in await MembersAsync(client, pdu.Outlets, "Outlets", ct).ConfigureAwait(false))
                {
                    OutletDto outlet = await GetAsync(client, outletUri, "outlet", RedfishJsonContext.Default.OutletDto, ct).ConfigureAwait(false);
                    string id = outlet.Id ?? throw RedfishFailure.Malformed("outlet " + outletUri.AbsolutePath, "no Id");
                    Uri? action = outlet.Actions?.PowerControl?.Target is { } target ? client.Resolve(target, "Outlet.PowerControl") : null;
                    outlets.Add(new RedfishOutletResource(outletUri, pdu.Id ?? string.Empty, id, outlet.Name ?? id, action));
                }
            }
        }

        return outlets;
    }

    private static async ValueTask<List<Uri>> MembersAsync(RedfishClient client, ODataLink? link, string what, CancellationToken ct)
    {
        var members = new List<Uri>();
        if (link?.Id is not { } path)
        {
            return members;
        }

        CollectionDto collection = await GetAsync(client, client.Resolve(path, what), what, RedfishJsonContext.Default.CollectionDto, ct).ConfigureAwait(false);
        foreach (ODataLink? member in collection.Members ?? [])
        {
            if (members.Count == MaxMembers)
            {
                break;
            }

            members.Add(client.Resolve(member?.Id, what)); // a null member is refused like a missing link
        }

        return members;
    }

    private static async ValueTask<T> GetAsync<T>(RedfishClient client, Uri uri, string what, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        RedfishResponse response = await client.GetAsync(uri, wantETag: false, ct).ConfigureAwait(false);
        return RedfishClient.Decode(response, what + " " + uri.AbsolutePath, type);
    }
}
