using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Redfish;
using EdgeGovernor.TestSupport.Redfish;

namespace EdgeGovernor.Hal.Tests.Redfish;

/// <summary>The Redfish client against the project's own stateful simulator: what the DMTF mockup server cannot show.</summary>
public sealed class RedfishSimulatorTests
{
    private const string Cap = "/redfish/v1/Chassis/C1/Controls/Cap";
    private const string S1 = "/redfish/v1/Systems/S1";
    private const string O1 = "/redfish/v1/PowerEquipment/RackPDUs/P1/Outlets/O1";

    private static RedfishClientOptions Options(RedfishSimulator sim, TimeSpan? timeout = null, int retries = 2) =>
        new(sim.BaseAddress, new RedfishCredentials(RedfishSimulator.User, RedfishSimulator.Password))
        {
            AllowPlainHttp = true,
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
            Retries = retries,
        };

    [Fact]
    public async Task Power_off_and_on_change_the_state_and_nothing_is_sent_when_already_there()
    {
        await using var sim = new RedfishSimulator();
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options(sim)));
        Assert.True((await bmc.GetChassisStatusAsync()).PowerOn);
        await bmc.ChassisControlAsync(ChassisControl.PowerOff);
        Assert.Equal("Off", (string?)sim.Get(S1, "PowerState"));
        Assert.False((await bmc.GetChassisStatusAsync()).PowerOn);
        await bmc.ChassisControlAsync(ChassisControl.SoftOff);
        Assert.Equal(1, sim.Count("POST " + S1 + "/Actions/ComputerSystem.Reset"));
        await bmc.ChassisControlAsync(ChassisControl.PowerOn);
        Assert.Equal("On", (string?)sim.Get(S1, "PowerState"));
        Assert.Equal(2, bmc.Actions);
        var refused = await Assert.ThrowsAsync<BmcException>(() => bmc.ChassisControlAsync(ChassisControl.PowerCycle).AsTask());
        Assert.Equal(BmcErrorKind.InvalidArgument, refused.Kind);
        Assert.Contains("PowerCycle", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, sim.Count("POST " + S1 + "/Actions/ComputerSystem.Reset"));
    }

    [Fact]
    public async Task A_lost_action_reply_is_read_back_and_not_sent_again_when_it_happened()
    {
        await using var sim = new RedfishSimulator();
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options(sim)));
        await bmc.DiscoverAsync();
        sim.LoseNextActionReply = true; // carried out, reply lost
        await bmc.ChassisControlAsync(ChassisControl.PowerOff);
        Assert.Equal("Off", (string?)sim.Get(S1, "PowerState"));
        Assert.Equal(1, sim.Count("POST " + S1 + "/Actions/ComputerSystem.Reset"));

        sim.LoseNextActionReply = false; // lost before it was carried out: read back, then sent once more
        await bmc.ChassisControlAsync(ChassisControl.PowerOn);
        Assert.Equal("On", (string?)sim.Get(S1, "PowerState"));
        Assert.Equal(3, sim.Count("POST " + S1 + "/Actions/ComputerSystem.Reset"));

        sim.LoseNextActionReply = true; // a restart cannot be told from the state: never sent again
        var unknown = await Assert.ThrowsAsync<BmcException>(() => bmc.ChassisControlAsync(ChassisControl.HardReset).AsTask());
        Assert.Equal(BmcErrorKind.Timeout, unknown.Kind);
        Assert.Contains("not sent again", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(4, sim.Count("POST " + S1 + "/Actions/ComputerSystem.Reset"));
    }

    [Fact]
    public async Task A_503_on_an_action_waits_Retry_After_reads_the_state_back_and_sends_it_once_more()
    {
        await using var sim = new RedfishSimulator();
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options(sim)));
        await bmc.DiscoverAsync();
        sim.UnavailableActions = 1;
        var watch = Stopwatch.StartNew();
        await bmc.ChassisControlAsync(ChassisControl.PowerOff);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 10);
        Assert.Equal("Off", (string?)sim.Get(S1, "PowerState"));
        Assert.Equal(2, sim.Count("POST " + S1 + "/Actions/ComputerSystem.Reset"));
        string[] log = [.. sim.Log];
        int first = Array.IndexOf(log, "POST " + S1 + "/Actions/ComputerSystem.Reset");
        Assert.Equal("GET " + S1, log[first + 1]); // read back between the two

        sim.UnavailableActions = 2; // still unavailable after the read-back: not sent a third time
        var e = await Assert.ThrowsAsync<BmcException>(() => bmc.ChassisControlAsync(ChassisControl.PowerOn).AsTask());
        Assert.Contains("not sent again", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, sim.Count("POST " + S1 + "/Actions/ComputerSystem.Reset"));
        Assert.Equal("Off", (string?)sim.Get(S1, "PowerState"));
    }

    [Fact]
    public async Task An_expired_session_answers_401_and_the_client_logs_in_again_and_deletes_its_session_on_close()
    {
        await using var sim = new RedfishSimulator();
        var bmc = new RedfishBmc(new RedfishBmcOptions(Options(sim)));
        Assert.Equal(250, (await bmc.GetPowerReadingAsync()).CurrentWatts);
        Assert.True(bmc.Client.Session.UsesSession);
        Assert.Equal(1, bmc.Client.Session.Logins);
        sim.ExpireSessions();
        Assert.Equal(250, (await bmc.GetPowerReadingAsync()).CurrentWatts);
        Assert.Equal(2, bmc.Client.Session.Logins);
        Assert.Equal(1, sim.LiveSessions);
        await bmc.DisposeAsync();
        Assert.Equal(0, sim.LiveSessions);
        Assert.Equal(1, sim.CountPrefix("DELETE /redfish/v1/SessionService/Sessions/"));
    }

    [Fact]
    public async Task Wrong_password_is_an_authentication_failure_and_basic_auth_is_used_without_sessions()
    {
        await using var sim = new RedfishSimulator();
        await using (var wrong = new RedfishBmc(new RedfishBmcOptions(Options(sim) with { Credentials = new RedfishCredentials("operator", "nope") })))
        {
            var e = await Assert.ThrowsAsync<BmcException>(() => wrong.GetPowerReadingAsync().AsTask());
            Assert.Equal(BmcErrorKind.AuthenticationFailed, e.Kind);
        }

        sim.NoSessions = true;
        await using var basic = new RedfishBmc(new RedfishBmcOptions(Options(sim)));
        Assert.Equal(250, (await basic.GetPowerReadingAsync()).CurrentWatts);
        Assert.False(basic.Client.Session.UsesSession);
    }

    [Fact]
    public async Task A_stale_ETag_gets_412_and_the_limit_is_written_after_reading_again()
    {
        await using var sim = new RedfishSimulator();
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options(sim)));
        Assert.Null(await bmc.GetPowerLimitAsync()); // ControlMode Disabled
        sim.ChangeBeforeNextPatch = true;
        await bmc.SetPowerLimitAsync(new PowerLimit(420, 1000, 1, PowerLimitExceptionAction.LogEventOnly));
        Assert.Equal(1, bmc.StaleETags);
        Assert.Equal(420, (double)sim.Get(Cap, "SetPoint")!);
        Assert.Equal("Disabled", (string?)sim.Get(Cap, "ControlMode"));
        await bmc.ActivatePowerLimitAsync(true);
        Assert.Equal("Automatic", (string?)sim.Get(Cap, "ControlMode"));
        Assert.Equal(420, (await bmc.GetPowerLimitAsync())!.Value.LimitWatts);

        var e = await Assert.ThrowsAsync<BmcException>(() => bmc.SetPowerLimitAsync(new PowerLimit(900, 1000, 1, PowerLimitExceptionAction.NoAction)).AsTask());
        Assert.Equal(BmcErrorKind.CompletionCode, e.Kind);
        Assert.Contains("100..800", e.Message, StringComparison.Ordinal);
        Assert.Equal(420, (double)sim.Get(Cap, "SetPoint")!);

        await bmc.ActivatePowerLimitAsync(false);
        Assert.Equal("Disabled", (string?)sim.Get(Cap, "ControlMode"));
        Assert.Null(await bmc.GetPowerLimitAsync());
    }

    [Fact]
    public async Task The_legacy_PowerLimit_is_written_on_activation_and_cleared_with_null()
    {
        await using var sim = new RedfishSimulator();
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options(sim)) { LimitPath = RedfishLimitPath.LegacyPower, ReadingSource = RedfishReadingSource.LegacyPower });
        Assert.Equal(240, (await bmc.GetPowerReadingAsync()).CurrentWatts);
        Assert.Null(await bmc.GetPowerLimitAsync());
        await bmc.SetPowerLimitAsync(new PowerLimit(350, 2000, 1, PowerLimitExceptionAction.HardPowerOffAndLogEvent));
        Assert.Null(await bmc.GetPowerLimitAsync()); // set, not active (as DCMI)
        await bmc.ActivatePowerLimitAsync(true);
        JsonNode limit = sim.Get("/redfish/v1/Chassis/C1/Power", "PowerControl")![0]!["PowerLimit"]!;
        Assert.Equal(350, (double)limit["LimitInWatts"]!);
        Assert.Equal("HardPowerOff", (string?)limit["LimitException"]);
        Assert.Equal(2000, (long)limit["CorrectionInMs"]!);
        Assert.Equal(new PowerLimit(350, 2000, 0, PowerLimitExceptionAction.HardPowerOffAndLogEvent), await bmc.GetPowerLimitAsync());
        await bmc.ActivatePowerLimitAsync(false);
        Assert.Null(sim.Get("/redfish/v1/Chassis/C1/Power", "PowerControl")![0]!["PowerLimit"]!["LimitInWatts"]);
        Assert.Null(await bmc.GetPowerLimitAsync());
    }

    [Fact]
    public async Task A_503_with_Retry_After_is_waited_out_within_the_retry_budget_and_fails_beyond_it()
    {
        await using var sim = new RedfishSimulator();
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options(sim, retries: 2)));
        await bmc.DiscoverAsync();
        sim.Unavailable = 2;
        var watch = Stopwatch.StartNew();
        Assert.Equal(250, (await bmc.GetPowerReadingAsync()).CurrentWatts);
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.9, 10);
        Assert.Equal(2, bmc.Client.Retries);

        sim.Unavailable = 3;
        var e = await Assert.ThrowsAsync<BmcException>(() => bmc.GetPowerReadingAsync().AsTask());
        Assert.Equal(BmcErrorKind.Timeout, e.Kind);
        Assert.Contains("503", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_service_times_out_within_the_bound()
    {
        await using var sim = new RedfishSimulator();
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options(sim, TimeSpan.FromMilliseconds(300), retries: 1)));
        await bmc.DiscoverAsync();
        sim.Delay = TimeSpan.FromSeconds(3);
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<BmcException>(() => bmc.GetPowerReadingAsync().AsTask());
        Assert.Equal(BmcErrorKind.Timeout, e.Kind);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.5, 2.5); // two attempts of 300 ms and one backoff
    }

    [Fact]
    public async Task A_body_that_stalls_after_the_headers_times_out_within_the_bound()
    {
        await using var sim = new RedfishSimulator();
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options(sim, TimeSpan.FromMilliseconds(400), retries: 0)));
        await bmc.DiscoverAsync();
        sim.StallBody = TimeSpan.FromSeconds(3);
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<BmcException>(() => bmc.GetPowerReadingAsync().AsTask());
        Assert.Equal(BmcErrorKind.Timeout, e.Kind);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.3, 2);
    }

    [Theory]
    [InlineData("""{"PowerWatts":{"Reading":250.4""", "malformed")]
    [InlineData("""{"PowerWatts":{"Reading":"250"}}""", "not a number")]
    [InlineData("""{"PowerWatts":{"Reading":-5}}""", "not a number")]
    [InlineData("""[1,2,3]""", "no power reading")]
    [InlineData("""<html>busy</html>""", "malformed")]
    public async Task A_malformed_body_is_a_MalformedReply(string body, string words)
    {
        await using var sim = new RedfishSimulator();
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options(sim)) { ReadingSource = RedfishReadingSource.EnvironmentMetrics });
        await bmc.DiscoverAsync();
        sim.Garbage = ("/EnvironmentMetrics", body);
        var e = await Assert.ThrowsAsync<BmcException>(() => bmc.GetPowerReadingAsync().AsTask());
        Assert.Equal(BmcErrorKind.MalformedReply, e.Kind);
        Assert.Contains(words, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused()
    {
        await using var sim = new RedfishSimulator();
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options(sim) with { MaxBodyBytes = 1024 }));
        await bmc.DiscoverAsync();
        sim.Garbage = ("/EnvironmentMetrics", """{"PowerWatts":{"Reading":1},"Pad":" """ + new string('x', 4000) + "\"}");
        var e = await Assert.ThrowsAsync<BmcException>(() => bmc.GetPowerReadingAsync().AsTask());
        Assert.Equal(BmcErrorKind.MalformedReply, e.Kind);
        Assert.Contains("exceeds the limit of 1024", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_TLS_the_pinned_certificate_is_accepted_and_another_is_refused()
    {
        using var certificate = TestCertificates.SelfSigned();
        using var other = TestCertificates.SelfSigned("impostor");
        await using var sim = new RedfishSimulator(certificate);
        var creds = new RedfishCredentials(RedfishSimulator.User, RedfishSimulator.Password);
        await using (var good = new RedfishBmc(new RedfishBmcOptions(new RedfishClientOptions(sim.BaseAddress, creds) { PinnedSha256 = RedfishCertificatePolicy.Fingerprint(certificate) })))
        {
            Assert.Equal(250, (await good.GetPowerReadingAsync()).CurrentWatts);
        }

        int logins = sim.Count("POST /redfish/v1/SessionService/Sessions");
        await using var bad = new RedfishBmc(new RedfishBmcOptions(new RedfishClientOptions(sim.BaseAddress, creds) { PinnedSha256 = RedfishCertificatePolicy.Fingerprint(other) }));
        var e = await Assert.ThrowsAsync<BmcException>(() => bad.GetPowerReadingAsync().AsTask());
        Assert.Equal(BmcErrorKind.AuthenticationFailed, e.Kind);
        Assert.Contains("does not match the pinned", e.Message, StringComparison.Ordinal);
        Assert.Equal(logins, sim.Count("POST /redfish/v1/SessionService/Sessions")); // no credentials left the board

        string dir = Directory.CreateTempSubdirectory("edgegov-ca-").FullName;
        try
        {
            string ca = Path.Combine(dir, "ca.pem");
            File.WriteAllText(ca, certificate.ExportCertificatePem());
            await using var byCa = new RedfishBmc(new RedfishBmcOptions(new RedfishClientOptions(sim.BaseAddress, creds) { CaFile = ca }));
            Assert.Equal(250, (await byCa.GetPowerReadingAsync()).CurrentWatts);
            File.WriteAllText(ca, other.ExportCertificatePem());
            await using var wrongCa = new RedfishBmc(new RedfishBmcOptions(new RedfishClientOptions(sim.BaseAddress, creds) { CaFile = ca }));
            Assert.Equal(BmcErrorKind.AuthenticationFailed, (await Assert.ThrowsAsync<BmcException>(() => wrongCa.GetPowerReadingAsync().AsTask())).Kind);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Plain_HTTP_and_HTTPS_without_a_trust_anchor_are_refused_by_the_options()
    {
        var creds = new RedfishCredentials("a", "b");
        Assert.Equal(BmcErrorKind.InvalidArgument, Assert.Throws<BmcException>(() => new RedfishClientOptions(new Uri("http://10.0.0.1/"), creds).Validate()).Kind);
        Assert.Equal(BmcErrorKind.InvalidArgument, Assert.Throws<BmcException>(() => new RedfishClientOptions(new Uri("https://10.0.0.1/"), creds).Validate()).Kind);
        Assert.Equal(BmcErrorKind.InvalidArgument, Assert.Throws<BmcException>(() => new RedfishClientOptions(new Uri("https://10.0.0.1/"), creds) { PinnedSha256 = "abcd" }.Validate()).Kind);
        new RedfishClientOptions(new Uri("https://10.0.0.1/"), creds) { PinnedSha256 = new string('a', 64) }.Validate();
    }

    [Fact]
    public async Task Outlets_switch_through_the_action_read_power_and_energy_and_respect_the_dwell()
    {
        await using var sim = new RedfishSimulator();
        var clock = new EdgeGovernor.Hal.Simulation.ManualClock(DateTimeOffset.UnixEpoch);
        await using var pdu = new RedfishPdu(Options(sim), clock);
        IReadOnlyList<RedfishOutlet> outlets = await pdu.DiscoverAsync(new RelayOptions(MinimumDwell: TimeSpan.FromSeconds(30), MaxTogglesPerHour: 2));
        Assert.Equal(["P1/O1", "P1/O2"], outlets.Select(o => o.Name));
        RedfishOutlet o1 = pdu.Find("O1")!;
        RedfishOutletReading reading = await o1.ReadAsync();
        Assert.Equal(new RedfishOutletReading(RedfishPowerState.On, 120.5, 42.25), reading);
        Assert.True(o1.ReadIsOn());

        Assert.Equal(HalErrorKind.RateLimited, Assert.Throws<HalException>(() => o1.Switch(false)).Kind); // dwell counts from take-over
        clock.Advance(TimeSpan.FromSeconds(31));
        o1.Switch(false);
        Assert.Equal("Off", (string?)sim.Get(O1, "PowerState"));
        Assert.Equal(0, (await o1.ReadAsync()).Watts);
        o1.Switch(false); // already off: nothing sent
        Assert.Equal(1, sim.Count("POST " + O1 + "/Actions/Outlet.PowerControl"));
        clock.Advance(TimeSpan.FromSeconds(31));
        sim.LoseNextActionReply = true;
        await o1.SwitchAsync(true); // reply lost, state read back: on, not sent again
        Assert.Equal(2, sim.Count("POST " + O1 + "/Actions/Outlet.PowerControl"));
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.NotNull(o1.NextChangeAllowedAt()); // two changes this hour: the cap
        clock.Advance(TimeSpan.FromHours(1));
        sim.LoseNextActionReply = true;
        var e = await Assert.ThrowsAsync<BmcException>(() => o1.CycleAsync().AsTask());
        Assert.Contains("not sent again", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, sim.Count("POST " + O1 + "/Actions/Outlet.PowerControl"));
    }
}
