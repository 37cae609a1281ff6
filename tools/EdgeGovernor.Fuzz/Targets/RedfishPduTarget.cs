using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Redfish;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// A PDU's Redfish replies (<see cref="RedfishReplyScript"/>) through a real <see cref="RedfishPdu"/>: outlet discovery
/// under <c>PowerEquipment</c>, the reading of up to four outlets, then switching the first one off (action, or PATCH of
/// <c>PowerState</c> with its ETag). Every refusal is a <see cref="Hal.Bmc.BmcException"/>; anything else escaping is a finding.
/// </summary>
internal sealed class RedfishPduTarget : IFuzzTarget
{
    private static readonly RelayOptions Protection = new(MinimumDwell: TimeSpan.Zero, MaxTogglesPerHour: 1000);

    public string Name => "redfish-pdu";

    public string Description => "Redfish PDU replies through RedfishPdu and RedfishOutlet (outlet discovery, reading, switching)";

    public void Run(ReadOnlySpan<byte> input)
    {
        var script = new RedfishReplyScript();
        script.Reset(input);
        RunAsync(script).AsTask().GetAwaiter().GetResult();
    }

    private static async ValueTask RunAsync(RedfishReplyScript script)
    {
        var pdu = new RedfishPdu(new RedfishClient(RedfishServerTarget.Options, script, TimeProvider.System), TimeProvider.System);
        await using (pdu.ConfigureAwait(false))
        {
            IReadOnlyList<RedfishOutlet> outlets;
            try
            {
                outlets = await pdu.DiscoverAsync(Protection).ConfigureAwait(false);
            }
            catch (Hal.Bmc.BmcException)
            {
                return;
            }
            foreach (RedfishOutlet outlet in outlets.Take(4))
            {
                await RedfishServerTarget.Try(outlet.ReadAsync().AsTask()).ConfigureAwait(false);
            }
            if (outlets.Count > 0)
            {
                await RedfishServerTarget.Try(outlets[0].SwitchAsync(false).AsTask()).ConfigureAwait(false);
                pdu.Find(outlets[0].Name);
            }
        }
    }

    public IEnumerable<byte[]> Seeds() => RedfishServerTarget.RecordSeeds("public-pdu", async client =>
    {
        await using var pdu = new RedfishPdu(client, TimeProvider.System);
        IReadOnlyList<RedfishOutlet> outlets = await pdu.DiscoverAsync(Protection);
        foreach (RedfishOutlet outlet in outlets.Take(2))
        {
            await outlet.ReadAsync();
        }
    }).Append(RedfishReplyScript.Join(
        """{"PowerEquipment":{"@odata.id":"/redfish/v1/PowerEquipment"}}""",
        """{"RackPDUs":{"@odata.id":"/redfish/v1/PowerEquipment/RackPDUs"}}""",
        """{"Members":[{"@odata.id":"/redfish/v1/PowerEquipment/RackPDUs/1"}]}""",
        """{"Id":"1","Outlets":{"@odata.id":"/redfish/v1/PowerEquipment/RackPDUs/1/Outlets"}}""",
        """{"Members":[{"@odata.id":"/redfish/v1/PowerEquipment/RackPDUs/1/Outlets/A1"}]}""",
        """{"Id":"A1","Name":"Outlet A1","Actions":{"#Outlet.PowerControl":{"target":"/redfish/v1/PowerEquipment/RackPDUs/1/Outlets/A1/Outlet.PowerControl"}}}""",
        """{"PowerState":"On","PowerWatts":{"Reading":197.2},"EnergykWh":{"Reading":36166}}""",
        """{"PowerState":"On"}""",
        "6",
        "@ETag: \"7\"\n\n" + """{"PowerState":"On"}""",
        "2"));
}
