using System.Net;
using System.Net.Sockets;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>
/// The project's IPMI client against a real ipmi_sim, read back with ipmitool. The tests of this
/// class share one simulator and run one after another; each sets the state it asserts on.
/// </summary>
public sealed class IpmiSimTests(IpmiSimFixture sim) : IClassFixture<IpmiSimFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [IpmiSimFact]
    public async Task Power_off_and_on_is_seen_by_the_simulator_and_by_ipmitool()
    {
        await using IpmiBmc bmc = new(sim.Options());

        await bmc.ChassisControlAsync(ChassisControl.PowerOff).AsTask().WaitAsync(Guard);
        ChassisStatus off = await bmc.GetChassisStatusAsync().AsTask().WaitAsync(Guard);
        Assert.False(off.PowerOn);
        Assert.Matches(@"System Power\s*:\s*off", await sim.IpmitoolAsync("chassis", "status"));
        Assert.Equal(0, (await bmc.GetPowerReadingAsync()).CurrentWatts);
        Assert.Contains("set power 0", sim.ChassisLog, StringComparison.Ordinal);

        await bmc.ChassisControlAsync(ChassisControl.PowerOn).AsTask().WaitAsync(Guard);
        ChassisStatus on = await bmc.GetChassisStatusAsync().AsTask().WaitAsync(Guard);
        Assert.True(on.PowerOn);
        Assert.False(on.PowerFault);
        Assert.False(on.PowerOverload);
        Assert.Matches(@"System Power\s*:\s*on", await sim.IpmitoolAsync("chassis", "status"));
        Assert.Contains("set power 1", sim.ChassisLog, StringComparison.Ordinal);
    }

    [IpmiSimFact]
    public async Task Soft_off_asks_the_guest_to_shut_down()
    {
        await using IpmiBmc bmc = new(sim.Options());
        await bmc.ChassisControlAsync(ChassisControl.PowerOn).AsTask().WaitAsync(Guard);
        Assert.True((await bmc.GetChassisStatusAsync()).PowerOn);

        await bmc.ChassisControlAsync(ChassisControl.SoftOff).AsTask().WaitAsync(Guard);

        Assert.Contains("set shutdown 1", sim.ChassisLog, StringComparison.Ordinal);
        Assert.False((await bmc.GetChassisStatusAsync()).PowerOn);
        Assert.Matches(@"System Power\s*:\s*off", await sim.IpmitoolAsync("chassis", "status"));
        await bmc.ChassisControlAsync(ChassisControl.PowerOn);
    }

    [IpmiSimFact]
    public async Task Power_cycle_turns_the_chassis_off_and_on_again()
    {
        await using IpmiBmc bmc = new(sim.Options());
        await bmc.ChassisControlAsync(ChassisControl.PowerOn).AsTask().WaitAsync(Guard);
        int before = sim.ChassisLog.Length;

        await bmc.ChassisControlAsync(ChassisControl.PowerCycle).AsTask().WaitAsync(Guard);

        // ipmi_sim powers off at once and on again after a delay of its own: poll (hang guard 30 s).
        using CancellationTokenSource guard = new(TimeSpan.FromSeconds(30));
        while (!sim.ChassisLog[before..].Contains("set power 1", StringComparison.Ordinal))
        {
            await Task.Delay(100, guard.Token);
        }

        Assert.Contains("set power 0", sim.ChassisLog[before..], StringComparison.Ordinal);
        Assert.True((await bmc.GetChassisStatusAsync()).PowerOn);
    }

    [IpmiSimFact]
    public async Task Power_reading_matches_ipmitool()
    {
        await using IpmiBmc bmc = new(sim.Options());
        await bmc.ChassisControlAsync(ChassisControl.PowerOn).AsTask().WaitAsync(Guard);
        await bmc.ActivatePowerLimitAsync(false).AsTask().WaitAsync(Guard);

        PowerReading reading = await bmc.GetPowerReadingAsync().AsTask().WaitAsync(Guard);

        Assert.Equal(320, reading.CurrentWatts);
        Assert.True(reading.Active);
        Assert.Equal(1000u, reading.SamplingPeriodMs);
        Assert.InRange(reading.MinimumWatts, 0, reading.MaximumWatts);
        Assert.Matches(@"Instantaneous power reading:\s*320 Watts", await sim.IpmitoolAsync("dcmi", "power", "reading"));
    }

    [IpmiSimFact]
    public async Task Power_limit_set_and_activated_by_the_client_is_what_ipmitool_reads_and_caps_the_reading()
    {
        await using IpmiBmc bmc = new(sim.Options());
        await bmc.ChassisControlAsync(ChassisControl.PowerOn).AsTask().WaitAsync(Guard);
        await bmc.ActivatePowerLimitAsync(false).AsTask().WaitAsync(Guard);
        PowerLimit limit = new(LimitWatts: 210, CorrectionTimeMs: 2500, SamplingPeriodSeconds: 3, PowerLimitExceptionAction.LogEventOnly);

        await bmc.SetPowerLimitAsync(limit).AsTask().WaitAsync(Guard);
        Assert.Null(await bmc.GetPowerLimitAsync()); // set, not active yet: completion code 0x80
        Assert.Contains("No Active Power Limit", await sim.IpmitoolAsync("dcmi", "power", "get_limit"), StringComparison.Ordinal);

        await bmc.ActivatePowerLimitAsync(true).AsTask().WaitAsync(Guard);
        Assert.Equal(limit, await bmc.GetPowerLimitAsync());
        string shown = await sim.IpmitoolAsync("dcmi", "power", "get_limit");
        Assert.Contains("Power Limit Active", shown, StringComparison.Ordinal);
        Assert.Matches(@"Power Limit:\s*210\s+Watts", shown);
        Assert.Matches(@"Correction time:\s*2500 milliseconds", shown);
        Assert.Matches(@"Sampling period:\s*3 seconds", shown);
        Assert.Contains("Log Event to SEL", shown, StringComparison.Ordinal);
        Assert.Equal(210, (await bmc.GetPowerReadingAsync()).CurrentWatts);
        Assert.Matches(@"Instantaneous power reading:\s*210 Watts", await sim.IpmitoolAsync("dcmi", "power", "reading"));

        await bmc.ActivatePowerLimitAsync(false).AsTask().WaitAsync(Guard);
        Assert.Null(await bmc.GetPowerLimitAsync());
        Assert.Equal(320, (await bmc.GetPowerReadingAsync()).CurrentWatts);
    }

    [IpmiSimFact]
    public async Task A_limit_the_bmc_refuses_gives_its_completion_code()
    {
        await using IpmiBmc bmc = new(sim.Options());

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () =>
            await bmc.SetPowerLimitAsync(new PowerLimit(10, 1000, 1, PowerLimitExceptionAction.NoAction)).AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.CompletionCode, e.Kind);
        Assert.Contains("0x84", e.Message, StringComparison.Ordinal);
        Assert.Contains("power limit out of range", e.Message, StringComparison.Ordinal);
        Assert.True(bmc.HasSession); // a refused command does not end the session
    }

    [IpmiSimFact]
    public async Task One_session_serves_many_commands_and_close_session_ends_it()
    {
        IpmiBmc bmc = new(sim.Options());
        for (int i = 0; i < 25; i++)
        {
            await bmc.GetChassisStatusAsync().AsTask().WaitAsync(Guard);
            await bmc.GetPowerReadingAsync().AsTask().WaitAsync(Guard);
        }

        Assert.Equal(1, bmc.SessionsEstablished);
        Assert.Equal(50, bmc.CommandsCompleted); // session set-up (incl. Set Session Privilege Level) is not counted
        Assert.Equal(0, bmc.RepliesDropped);
        await bmc.DisposeAsync();
        Assert.False(bmc.HasSession);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await bmc.GetChassisStatusAsync());
    }

    [IpmiSimFact]
    public async Task Concurrent_callers_share_one_session()
    {
        await using IpmiBmc bmc = new(sim.Options());

        PowerReading[] readings = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => bmc.GetPowerReadingAsync().AsTask())).WaitAsync(Guard);

        Assert.All(readings, r => Assert.True(r.Active));
        Assert.Equal(1, bmc.SessionsEstablished);
        Assert.Equal(16, bmc.CommandsCompleted);
    }

    [IpmiSimFact]
    public async Task Lost_requests_are_retransmitted_within_the_same_session()
    {
        // A loopback relay in front of ipmi_sim that drops every third datagram from the client.
        using Socket front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using Socket back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        back.Connect(sim.EndPoint);
        using CancellationTokenSource stop = new();
        EndPoint? client = null;
        int fromClient = 0, dropped = 0;
        Task up = Task.Run(async () =>
        {
            byte[] buffer = new byte[1024];
            while (!stop.IsCancellationRequested)
            {
                SocketReceiveFromResult r = await front.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                client = r.RemoteEndPoint;
                if (++fromClient % 3 == 0)
                {
                    dropped++;
                    continue;
                }

                await back.SendAsync(buffer.AsMemory(0, r.ReceivedBytes), stop.Token);
            }
        });
        Task down = Task.Run(async () =>
        {
            byte[] buffer = new byte[1024];
            while (!stop.IsCancellationRequested)
            {
                int n = await back.ReceiveAsync(buffer, stop.Token);
                await front.SendToAsync(buffer.AsMemory(0, n), client!, stop.Token);
            }
        });

        IpmiBmcOptions options = sim.Options() with { Endpoint = (IPEndPoint)front.LocalEndPoint!, Timeout = TimeSpan.FromMilliseconds(500), Retries = 3 };
        await using (IpmiBmc bmc = new(options))
        {
            for (int i = 0; i < 12; i++)
            {
                Assert.True((await bmc.GetPowerReadingAsync().AsTask().WaitAsync(Guard)).Active);
            }

            Assert.Equal(1, bmc.SessionsEstablished);
            Assert.Equal(12, bmc.CommandsCompleted);
            Assert.True(bmc.Retransmissions >= 5, $"{bmc.Retransmissions} retransmissions for {dropped} dropped datagrams");
        }

        await stop.CancelAsync();
        await Task.WhenAll(up, down).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [IpmiSimFact]
    public async Task Wrong_password_is_an_authentication_failure()
    {
        await using IpmiBmc bmc = new(sim.Options(password: "not-the-password"));

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await bmc.GetChassisStatusAsync().AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.AuthenticationFailed, e.Kind);
        Assert.Contains("RAKP 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, bmc.SessionsEstablished);
    }

    [IpmiSimFact]
    public async Task Unknown_user_is_an_authentication_failure()
    {
        await using IpmiBmc bmc = new(sim.Options(userName: "nobody"));

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await bmc.GetChassisStatusAsync().AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.AuthenticationFailed, e.Kind);
    }

    [IpmiSimFact]
    public async Task A_cipher_suite_the_bmc_lacks_is_refused_as_unsupported()
    {
        // ipmi_sim implements RAKP-HMAC-SHA1 but not RAKP-HMAC-SHA256 (suite 17).
        await using IpmiBmc bmc = new(sim.Options(suite: IpmiCipherSuite.Suite17));

        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await bmc.GetChassisStatusAsync().AsTask().WaitAsync(Guard));

        Assert.Equal(BmcErrorKind.UnsupportedCipherSuite, e.Kind);
        Assert.Contains("Open Session", e.Message, StringComparison.Ordinal);
    }
}
