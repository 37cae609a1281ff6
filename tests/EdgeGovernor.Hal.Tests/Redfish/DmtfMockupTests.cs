using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Redfish;
using EdgeGovernor.TestSupport.Redfish;
using Xunit.Abstractions;

namespace EdgeGovernor.Hal.Tests.Redfish;

/// <summary>
/// The Redfish client against the DMTF's own mockup server with its public-rackmount1 and public-pdu mockups: discovery,
/// readings, PATCH read back (also by python3-sushy, an independent client), sessions, actions accepted. The server changes
/// no state on actions and answers the PDU's outlet action paths with 404 (see ../shared/redfish/README.md).
/// </summary>
public sealed class DmtfMockupTests(DmtfMockupFixture fixture, ITestOutputHelper output) : IClassFixture<DmtfMockupFixture>
{
    private const string SushyScript = """
        import sys, sushy
        s = sushy.Sushy(sys.argv[1] + '/redfish/v1', username='admin', password='x', verify=False)
        chassis = s.get_chassis(sys.argv[2])
        limit = chassis.power.json['PowerControl'][0]['PowerLimit']
        control = s._conn.get(sys.argv[3]).json()
        system = s.get_system(sys.argv[4])
        print(limit.get('LimitInWatts'), limit.get('LimitException'), control['SetPoint'], control['ControlMode'], getattr(system.power_state, 'value', system.power_state))
        """;

    private static RedfishClientOptions Options(DmtfMockupServer server) =>
        new(server.BaseAddress, new RedfishCredentials("admin", "password")) { AllowPlainHttp = true, Timeout = TimeSpan.FromSeconds(5) };

    [DmtfMockupFact]
    public async Task Discovery_finds_the_rack_servers_resources_from_the_service_root()
    {
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options(fixture.Rackmount!)));
        RedfishServerResources r = await bmc.DiscoverAsync();
        Assert.Equal("/redfish/v1/Systems/437XR1138R2", r.System.AbsolutePath);
        Assert.Equal("/redfish/v1/Chassis/1U", r.Chassis!.AbsolutePath);
        Assert.Equal("/redfish/v1/Chassis/1U/Controls/PowerLimit", r.PowerLimitControl!.AbsolutePath);
        Assert.Equal("/redfish/v1/Chassis/1U/Power", r.LegacyPower!.AbsolutePath);
        Assert.Equal("/redfish/v1/Chassis/1U/EnvironmentMetrics", r.EnvironmentMetrics!.AbsolutePath);
        Assert.NotEmpty(r.PowerSupplyMetrics);
        Assert.Equal("/redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset", r.ResetTarget!.AbsolutePath);
        Assert.Contains("ForceOff", r.ResetTypes);
        Assert.True(bmc.Client.Session.UsesSession);
        Assert.True(bmc.Client.Session.IsOpen);
    }

    [DmtfMockupFact]
    public async Task Readings_come_from_EnvironmentMetrics_the_power_supplies_or_the_legacy_Power_resource()
    {
        await using var auto = new RedfishBmc(new RedfishBmcOptions(Options(fixture.Rackmount!)));
        Assert.Equal(374, (await auto.GetPowerReadingAsync()).CurrentWatts);
        Assert.Equal(RedfishReadingSource.EnvironmentMetrics, auto.ReadingSource);

        await using var legacy = new RedfishBmc(new RedfishBmcOptions(Options(fixture.Rackmount!)) { ReadingSource = RedfishReadingSource.LegacyPower });
        PowerReading reading = await legacy.GetPowerReadingAsync();
        Assert.Equal(new PowerReading(344, 271, 489, 319, 30 * 60_000, true), reading);

        await using var supplies = new RedfishBmc(new RedfishBmcOptions(Options(fixture.Rackmount!)) { ReadingSource = RedfishReadingSource.PowerSubsystem });
        PowerReading sum = await supplies.GetPowerReadingAsync();
        Assert.InRange(sum.CurrentWatts, 937, 10_000); // Bay1 937.4 W (plus any other supply with metrics)
        Assert.True((await auto.GetChassisStatusAsync()).PowerOn);
    }

    [DmtfMockupFact]
    public async Task Limits_PATCHed_through_the_Control_and_the_legacy_Power_read_back_here_and_in_sushy()
    {
        // A server of its own: the mockup server replaces a PATCHed array whole (PowerControl loses PowerConsumedWatts),
        // which would change what the other tests read.
        using DmtfMockupServer server = DmtfMockupServer.Start("public-rackmount1");
        await using var control = new RedfishBmc(new RedfishBmcOptions(Options(server)));
        Assert.Equal(500, (await control.GetPowerLimitAsync())!.Value.LimitWatts);
        await control.SetPowerLimitAsync(new PowerLimit(420, 0, 0, PowerLimitExceptionAction.NoAction));
        await control.ActivatePowerLimitAsync(true);
        Assert.Equal(420, (await control.GetPowerLimitAsync())!.Value.LimitWatts);
        var refused = await Assert.ThrowsAsync<BmcException>(() => control.SetPowerLimitAsync(new PowerLimit(1200, 0, 0, PowerLimitExceptionAction.NoAction)).AsTask());
        Assert.Contains("150..1000", refused.Message, StringComparison.Ordinal);

        await using var legacy = new RedfishBmc(new RedfishBmcOptions(Options(server)) { LimitPath = RedfishLimitPath.LegacyPower });
        await legacy.SetPowerLimitAsync(new PowerLimit(450, 500, 0, PowerLimitExceptionAction.HardPowerOffAndLogEvent));
        Assert.Equal(new PowerLimit(450, 500, 0, PowerLimitExceptionAction.HardPowerOffAndLogEvent), await legacy.GetPowerLimitAsync());

        string sushy = DmtfMockupServer.RunPython(SushyScript, server.BaseAddress.ToString().TrimEnd('/'),
            "/redfish/v1/Chassis/1U", "/redfish/v1/Chassis/1U/Controls/PowerLimit", "/redfish/v1/Systems/437XR1138R2");
        output.WriteLine("sushy: " + sushy);
        Assert.Equal("450 HardPowerOff 420 Automatic On", sushy);

        await legacy.ActivatePowerLimitAsync(false);
        Assert.Null(await legacy.GetPowerLimitAsync());
        await control.ActivatePowerLimitAsync(false);
        Assert.Null(await control.GetPowerLimitAsync());
        string cleared = DmtfMockupServer.RunPython(SushyScript, server.BaseAddress.ToString().TrimEnd('/'),
            "/redfish/v1/Chassis/1U", "/redfish/v1/Chassis/1U/Controls/PowerLimit", "/redfish/v1/Systems/437XR1138R2");
        Assert.Equal("None None 420 Disabled On", cleared); // LimitException gone: the mockup replaced the array with the PATCH's
        await control.ActivatePowerLimitAsync(true);
        await control.SetPowerLimitAsync(new PowerLimit(500, 0, 0, PowerLimitExceptionAction.NoAction));
    }

    [DmtfMockupFact]
    public async Task Reset_actions_are_accepted_and_the_session_is_deleted_on_close()
    {
        var bmc = new RedfishBmc(new RedfishBmcOptions(Options(fixture.Rackmount!)));
        await bmc.ChassisControlAsync(ChassisControl.PowerOff); // accepted (204); the mockup keeps PowerState On
        await bmc.ChassisControlAsync(ChassisControl.HardReset);
        Assert.Equal(2, bmc.Actions);
        Uri session = bmc.Client.Session.Location!;
        Assert.StartsWith("/redfish/v1/SessionService/Sessions/", session.AbsolutePath, StringComparison.Ordinal);
        await bmc.DisposeAsync();
        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(session)).StatusCode);
    }

    [DmtfMockupFact]
    public async Task The_PDU_outlets_are_discovered_read_and_switched_by_PATCH_where_the_action_is_not_served()
    {
        await using var pdu = new RedfishPdu(Options(fixture.Pdu!));
        IReadOnlyList<RedfishOutlet> outlets = await pdu.DiscoverAsync(new EdgeGovernor.Hal.Gpio.RelayOptions(MinimumDwell: TimeSpan.Zero));
        Assert.Equal(11, outlets.Count);
        RedfishOutlet a1 = pdu.Find("A1")!;
        Assert.Equal("1/A1", a1.Name);
        Assert.Equal("/redfish/v1/PowerEquipment/RackPDUs/1/Outlets/A1/Outlet.PowerControl", a1.Resource.PowerControl!.AbsolutePath);
        RedfishOutletReading reading = await a1.ReadAsync();
        Assert.Equal(new RedfishOutletReading(RedfishPowerState.On, 197.4, 36166), reading);

        RedfishOutlet c3 = pdu.Find("C3")!;
        await c3.SwitchAsync(false); // the action answers 404: PATCH of PowerState, read back
        Assert.Equal(RedfishPowerState.Off, (await c3.ReadAsync()).PowerState);
        await c3.SwitchAsync(true);
        Assert.Equal(RedfishPowerState.On, (await c3.ReadAsync()).PowerState);
        Assert.Equal(2, c3.Changes);
    }

    [DmtfMockupFact]
    public async Task Over_HTTPS_the_DMTF_server_is_reached_with_its_pinned_certificate_and_refused_with_another()
    {
        using var certificate = TestCertificates.SelfSigned();
        using var other = TestCertificates.SelfSigned("impostor");
        string dir = Directory.CreateTempSubdirectory("edgegov-redfish-tls-").FullName;
        try
        {
            (string cert, string key) = TestCertificates.WritePem(certificate, dir);
            using DmtfMockupServer server = DmtfMockupServer.Start("public-rackmount1", cert, key);
            var creds = new RedfishCredentials("admin", "password");
            await using (var pinned = new RedfishBmc(new RedfishBmcOptions(new RedfishClientOptions(server.BaseAddress, creds) { PinnedSha256 = RedfishCertificatePolicy.Fingerprint(certificate) })))
            {
                Assert.Equal(374, (await pinned.GetPowerReadingAsync()).CurrentWatts);
            }

            await using var wrong = new RedfishBmc(new RedfishBmcOptions(new RedfishClientOptions(server.BaseAddress, creds) { PinnedSha256 = RedfishCertificatePolicy.Fingerprint(other) }));
            var e = await Assert.ThrowsAsync<BmcException>(() => wrong.GetPowerReadingAsync().AsTask());
            Assert.Equal(BmcErrorKind.AuthenticationFailed, e.Kind);
            Assert.Contains(RedfishCertificatePolicy.Fingerprint(certificate), e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
