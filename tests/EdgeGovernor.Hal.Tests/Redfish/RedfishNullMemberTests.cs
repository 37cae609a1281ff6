using System.Net;
using System.Text;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Redfish;

namespace EdgeGovernor.Hal.Tests.Redfish;

/// <summary>
/// Discovery against services whose collections and link lists hold <c>null</c> entries (found by the redfish fuzz
/// targets of tools/EdgeGovernor.Fuzz): refused as a malformed reply or skipped, never a <see cref="NullReferenceException"/>.
/// </summary>
public sealed class RedfishNullMemberTests
{
    /// <summary>Answers the requests in order with the given bodies (200), then 404.</summary>
    private sealed class Replies(params string[] bodies) : HttpMessageHandler
    {
        private int _next;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(_next < bodies.Length
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(bodies[_next++])) }
                : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new ByteArrayContent([]) });
    }

    private static readonly RedfishClientOptions Options =
        new(new Uri("http://bmc.test/"), new RedfishCredentials("admin", "pw")) { AllowPlainHttp = true, Retries = 0 };

    private static RedfishClient Client(params string[] bodies) => new(Options, new Replies(bodies), TimeProvider.System);

    [Fact]
    public async Task A_null_collection_member_is_a_malformed_reply()
    {
        await using RedfishClient client = Client("""{"Systems":{"@odata.id":"/redfish/v1/Systems"}}""", """{"Members":[null]}""");

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await RedfishDiscovery.DiscoverServerAsync(client, null, CancellationToken.None));
        Assert.Equal(BmcErrorKind.MalformedReply, e.Kind);
    }

    [Fact]
    public async Task Null_chassis_links_and_action_parameters_are_skipped()
    {
        await using RedfishClient client = Client(
            """{"Systems":{"@odata.id":"/redfish/v1/Systems"},"Chassis":{"@odata.id":"/redfish/v1/Chassis"}}""",
            """{"Members":[{"@odata.id":"/redfish/v1/Systems/1"}]}""",
            """{"Id":"1","Actions":{"#ComputerSystem.Reset":{"target":"/redfish/v1/Systems/1/Actions/ComputerSystem.Reset","@Redfish.ActionInfo":"/redfish/v1/Systems/1/ResetActionInfo"}}}""",
            """{"Parameters":[null,{"Name":"ResetType","AllowableValues":["On","ForceOff"]}]}""",
            """{"Members":[{"@odata.id":"/redfish/v1/Chassis/1"},{"@odata.id":"/redfish/v1/Chassis/2"}]}""",
            """{"Id":"1","Links":{"ComputerSystems":[null,{"@odata.id":"/redfish/v1/Systems/1"}]}}""");

        RedfishServerResources r = await RedfishDiscovery.DiscoverServerAsync(client, null, CancellationToken.None);

        Assert.Equal("/redfish/v1/Chassis/1", r.Chassis!.AbsolutePath);
        Assert.Equal(["On", "ForceOff"], r.ResetTypes);
    }

    [Fact]
    public async Task A_null_outlet_member_is_a_malformed_reply()
    {
        await using RedfishClient client = Client(
            """{"PowerEquipment":{"@odata.id":"/redfish/v1/PowerEquipment"}}""",
            """{"RackPDUs":{"@odata.id":"/redfish/v1/PowerEquipment/RackPDUs"}}""",
            """{"Members":[{"@odata.id":"/redfish/v1/PowerEquipment/RackPDUs/1"}]}""",
            """{"Id":"1","Outlets":{"@odata.id":"/redfish/v1/PowerEquipment/RackPDUs/1/Outlets"}}""",
            """{"Members":[null]}""");

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await RedfishDiscovery.DiscoverOutletsAsync(client, CancellationToken.None));
        Assert.Equal(BmcErrorKind.MalformedReply, e.Kind);
    }
}
