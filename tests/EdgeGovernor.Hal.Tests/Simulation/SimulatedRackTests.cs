using System.Device.Gpio;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.CpuFreq;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.PowerCap;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Hal.State;
using EdgeGovernor.Hal.Tests.Support;

namespace EdgeGovernor.Hal.Tests.Simulation;

/// <summary>The simulated rack behind the hardware interfaces (curves from ../shared/data/power/specpower_curves.csv).</summary>
public sealed class SimulatedRackTests
{
    private static readonly IReadOnlyList<SpecPowerCurve> Curves = SpecPowerCurveParser.Load(RepoPaths.SpecPowerCurves);

    // Server i gets curve i mod 8; index 6 is the Dell PowerEdge R620 (54.1 W idle, 243 W at 100 %).
    private const int R620 = 6;

    private static SimulatedRack Rack(SimulatedRackOptions? options = null) => new(Curves, options ?? new SimulatedRackOptions(ServerCount: 8), new ManualClock());

    [Fact]
    public void Running_servers_draw_their_curve_and_count_energy()
    {
        using SimulatedRack rack = Rack();
        SimulatedServer server = rack.SimulatedServers[R620];
        Assert.Equal("Dell PowerEdge R620", server.Curve.Server);
        Assert.Equal(ServerPowerState.On, server.PowerState);
        server.Demand = 0.5;
        IPowerCapZone zone = rack.Servers[R620].PowerCapZones[0];
        long before = zone.ReadEnergyMicrojoules();
        rack.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(126, server.PowerWatts, 6);
        Assert.Equal(0.5, server.DeliveredUtilization, 6);
        Assert.InRange(zone.ReadEnergyMicrojoules() - before, 1_260_000_000 - 1_000, 1_260_000_000 + 1_000);
        Assert.Equal(rack.SimulatedServers.Sum(s => s.PowerWatts), rack.TotalPowerWatts, 9);
    }

    [Fact]
    public void A_RAPL_limit_caps_power_and_costs_work_but_never_goes_below_idle()
    {
        using SimulatedRack rack = Rack();
        SimulatedServer server = rack.SimulatedServers[R620];
        server.Demand = 1;
        IPowerCapZone zone = rack.Servers[R620].PowerCapZones[0];
        zone.SetPowerLimitMicrowatts(zone.FindConstraint(PowerCapConstraintInfo.LongTerm), 150_000_000);
        rack.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(150, server.PowerWatts, 6);
        Assert.Equal((150 - 54.1) / (243 - 54.1), server.DeliveredUtilization, 6);
        zone.SetPowerLimitMicrowatts(0, 20_000_000);
        rack.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(54.1, server.PowerWatts, 6);
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => zone.SetPowerLimitMicrowatts(0, 243_000_001)).Kind);
        zone.SetEnabled(false);
        rack.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(243, server.PowerWatts, 6);
        Assert.Equal(HalErrorKind.Disabled, Assert.Throws<HalException>(() => zone.SetPowerLimitMicrowatts(0, 100_000_000)).Kind);
        server.PackageZone.Locked = true;
        Assert.Equal(HalErrorKind.Locked, Assert.Throws<HalException>(() => zone.SetEnabled(true)).Kind);
        Assert.True(zone.IsLocked);
    }

    [Fact]
    public void Lowering_the_frequency_ceiling_lowers_power_and_work()
    {
        using SimulatedRack rack = Rack();
        SimulatedServer server = rack.SimulatedServers[R620];
        server.Demand = 1;
        ICpuFreqPolicy policy = rack.Servers[R620].CpuFreqPolicies[0];
        policy.SetLimitsKhz(policy.HardwareMinKhz, 1_500_000);
        rack.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(54.1 + ((243 - 54.1) * 0.25), server.PowerWatts, 6);
        Assert.Equal(0.5, server.DeliveredUtilization, 6);
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => policy.SetLimitsKhz(100_000, 1_500_000)).Kind);
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => policy.SetGovernor("turbo")).Kind);
    }

    [Fact]
    public async Task The_BMC_powers_off_and_on_with_boot_time_and_reads_power()
    {
        using SimulatedRack rack = Rack();
        SimulatedServer server = rack.SimulatedServers[R620];
        IBmc bmc = rack.Servers[R620].Bmc!;
        server.Demand = 0.3;
        rack.Advance(TimeSpan.FromSeconds(5));
        PowerReading reading = await bmc.GetPowerReadingAsync();
        Assert.Equal((ushort)Math.Round(server.Curve.WattsAt(0.3)), reading.CurrentWatts);
        Assert.True((await bmc.GetChassisStatusAsync()).PowerOn);

        await bmc.ChassisControlAsync(ChassisControl.PowerOff);
        rack.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ServerPowerState.Off, server.PowerState);
        Assert.False((await bmc.GetChassisStatusAsync()).PowerOn);
        Assert.Equal(server.Model.StandbyWatts, server.PowerWatts, 6);

        await bmc.ChassisControlAsync(ChassisControl.PowerOn);
        rack.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(ServerPowerState.Booting, server.PowerState);
        Assert.True((await bmc.GetChassisStatusAsync()).PowerOn);
        Assert.Equal(0, server.DeliveredUtilization);
        rack.Advance(TimeSpan.FromSeconds(1.1));
        Assert.Equal(ServerPowerState.On, server.PowerState);
        Assert.Equal(0.3, server.DeliveredUtilization, 6);

        await bmc.ChassisControlAsync(ChassisControl.SoftOff);
        rack.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(ServerPowerState.ShuttingDown, server.PowerState);
        rack.Advance(TimeSpan.FromSeconds(1.1));
        Assert.Equal(ServerPowerState.Off, server.PowerState);
    }

    [Fact]
    public async Task The_BMC_honours_an_active_power_limit_and_validates_it()
    {
        using SimulatedRack rack = Rack();
        SimulatedServer server = rack.SimulatedServers[R620];
        IBmc bmc = rack.Servers[R620].Bmc!;
        server.Demand = 1;
        Assert.Null(await bmc.GetPowerLimitAsync());
        var limit = new PowerLimit(180, 1_000, 1, PowerLimitExceptionAction.LogEventOnly);
        await bmc.SetPowerLimitAsync(limit);
        rack.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(243, server.PowerWatts, 6); // set, not yet active
        await bmc.ActivatePowerLimitAsync(true);
        rack.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(180, server.PowerWatts, 6);
        Assert.Equal(limit, await bmc.GetPowerLimitAsync());
        Assert.Equal(180, (await bmc.GetPowerReadingAsync()).CurrentWatts);
        await bmc.ActivatePowerLimitAsync(false);
        rack.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(243, server.PowerWatts, 6);

        Assert.Equal(BmcErrorKind.CompletionCode, (await Assert.ThrowsAsync<BmcException>(() => bmc.SetPowerLimitAsync(limit with { LimitWatts = 20 }).AsTask())).Kind);
        Assert.Equal(BmcErrorKind.CompletionCode, (await Assert.ThrowsAsync<BmcException>(() => bmc.SetPowerLimitAsync(limit with { CorrectionTimeMs = 0 }).AsTask())).Kind);
        Assert.Equal(BmcErrorKind.InvalidArgument, (await Assert.ThrowsAsync<BmcException>(() => bmc.ChassisControlAsync((ChassisControl)0x7F).AsTask())).Kind);
    }

    [Fact]
    public async Task A_limit_the_server_cannot_hold_triggers_the_exception_action_after_the_correction_time()
    {
        using SimulatedRack rack = Rack();
        SimulatedServer server = rack.SimulatedServers[R620];
        IBmc bmc = rack.Servers[R620].Bmc!;
        // Booting draws the curve at 40 % (126 W... 115 W+), uncapped: a 60 W limit cannot hold during POST.
        await bmc.SetPowerLimitAsync(new PowerLimit(60, 5_000, 1, PowerLimitExceptionAction.HardPowerOffAndLogEvent));
        await bmc.ActivatePowerLimitAsync(true);
        await bmc.ChassisControlAsync(ChassisControl.PowerCycle);
        rack.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(ServerPowerState.Booting, server.PowerState);
        rack.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(ServerPowerState.Off, server.PowerState);
        Assert.Equal(1, server.PowerLimitExceptions);
    }

    [Fact]
    public async Task The_outlet_relay_cuts_the_server_and_its_BMC_and_restoring_AC_boots_it()
    {
        using SimulatedRack rack = Rack();
        SimulatedServer server = rack.SimulatedServers[2];
        using var relay = new Relay(rack.Outlets, rack.OutletChip.ChipName, rack.OutletLines[2], "outlet-2", new RelayOptions(MinimumDwell: TimeSpan.FromSeconds(30)), rack.Clock);
        Assert.True(relay.ReadIsOn());
        rack.Advance(TimeSpan.FromSeconds(30));
        relay.Switch(false);
        rack.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, server.PowerWatts);
        Assert.Equal(ServerPowerState.Off, server.PowerState);
        Assert.Equal(BmcErrorKind.Timeout, (await Assert.ThrowsAsync<BmcException>(() => rack.Servers[2].Bmc!.GetChassisStatusAsync().AsTask())).Kind);
        rack.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, rack.Servers[2].Fans[0].ReadRpm()); // spun down
        relay.Switch(true);
        rack.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ServerPowerState.Booting, server.PowerState);
    }

    [Fact]
    public void Active_low_outlets_are_wired_the_other_way()
    {
        using SimulatedRack rack = Rack(new SimulatedRackOptions(ServerCount: 2, OutletsActiveLow: true));
        Assert.Equal(PinValue.Low, rack.OutletChip.Level(0));
        using var relay = new Relay(rack.Outlets, rack.OutletChip.ChipName, 0, "outlet-0", new RelayOptions(ActiveLow: true, MinimumDwell: TimeSpan.FromSeconds(1)), rack.Clock);
        Assert.True(relay.ReadIsOn());
        rack.Advance(TimeSpan.FromSeconds(1));
        relay.Switch(false);
        Assert.Equal(PinValue.High, rack.OutletChip.Level(0));
        Assert.False(rack.SimulatedServers[0].HasAcPower);
    }

    [Fact]
    public void Fans_cool_the_heat_sink_and_follow_their_duty()
    {
        using SimulatedRack rack = Rack(new SimulatedRackOptions(ServerCount: 16));
        SimulatedServer fast = rack.SimulatedServers[R620];
        SimulatedServer slow = rack.SimulatedServers[R620 + 8];
        foreach ((SimulatedServer server, int duty) in new[] { (fast, 255), (slow, 60) })
        {
            server.Demand = 1;
            foreach (IFan fan in rack.Servers[server.Index].Fans)
            {
                fan.SetMode(FanControlMode.Manual);
                fan.SetDuty(duty);
            }
        }

        rack.Advance(TimeSpan.FromMinutes(10));
        Assert.InRange(rack.Servers[fast.Index].Fans[0].ReadRpm(), 11_995, 12_000);
        Assert.Equal(12_000 * 60 / 255.0, rack.Servers[slow.Index].Fans[0].ReadRpm(), 1.0);
        double fastTemp = rack.Servers[fast.Index].Temperatures[1].ReadMillidegreesCelsius() / 1000.0;
        double slowTemp = rack.Servers[slow.Index].Temperatures[1].ReadMillidegreesCelsius() / 1000.0;
        Assert.Equal(24 + 35, fastTemp, 0.5); // full airflow at full power: 35 K above inlet
        Assert.True(slowTemp > fastTemp + 20, $"slow fans {slowTemp} °C vs fast {fastTemp} °C");
        Assert.Equal(24_000, rack.Servers[fast.Index].Temperatures[0].ReadMillidegreesCelsius());
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => rack.Servers[0].Fans[0].SetDuty(256)).Kind);
    }

    [Fact]
    public void Automatic_fans_speed_up_as_the_server_heats()
    {
        using SimulatedRack rack = Rack();
        SimulatedServer server = rack.SimulatedServers[R620];
        server.Demand = 0;
        rack.Advance(TimeSpan.FromMinutes(10));
        int idleRpm = rack.Servers[R620].Fans[0].ReadRpm();
        server.Demand = 1;
        rack.Advance(TimeSpan.FromMinutes(10));
        Assert.True(rack.Servers[R620].Fans[0].ReadRpm() > idleRpm);
        Assert.Equal(FanControlMode.Automatic, rack.Servers[R620].Fans[0].ReadMode());
    }

    [Fact]
    public void Two_racks_with_the_same_inputs_produce_the_same_run()
    {
        (double, double, long)[] Run()
        {
            using SimulatedRack rack = Rack(new SimulatedRackOptions(ServerCount: 42));
            for (int minute = 0; minute < 30; minute++)
            {
                foreach (SimulatedServer s in rack.SimulatedServers)
                {
                    s.Demand = ((s.Index * 7) + (minute * 13)) % 100 / 100.0;
                }

                if (minute == 10)
                {
                    rack.Servers[3].PowerCapZones[0].SetPowerLimitMicrowatts(0, 90_000_000);
                }

                rack.Advance(TimeSpan.FromMinutes(1));
            }

            return rack.SimulatedServers.Select(s => (s.EnergyJoules, s.HeatSinkCelsius, s.PackageZone.ReadEnergyMicrojoules())).ToArray();
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void The_sampler_accumulates_simulated_counters_across_wraps()
    {
        using SimulatedRack rack = Rack(new SimulatedRackOptions(ServerCount: 4, MaxEnergyRangeMicrojoules: 50_000_000));
        var sampler = new RackSampler(rack.Servers);
        sampler.Sample();
        double[] start = rack.SimulatedServers.Select(s => s.EnergyJoules).ToArray();
        for (int i = 0; i < 100; i++)
        {
            rack.Advance(TimeSpan.FromSeconds(0.1)); // < 50 J per sample: at most one wrap between samples
            Assert.Equal(0, sampler.Sample());
        }

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(rack.SimulatedServers[i].EnergyJoules - start[i], sampler.EnergyMicrojoules[i] / 1e6, 0.01);
        }

        Assert.Equal(8, sampler.TemperaturesMillidegrees.Length);
        Assert.Equal(8, sampler.FanRpm.Length);
    }

    [Fact]
    public void Without_configured_hardware_the_factory_gives_the_simulated_rack()
    {
        string stateFile = Path.Combine(Path.GetTempPath(), $"edgegov-factory-{Environment.ProcessId}.json");
        using IRackHardware rack = HardwareFactory.Create(null, stateFile, RepoPaths.SpecPowerCurves, new ManualClock(), out ActuatorStateJournal journal, out RestoreReport recovery);
        Assert.IsType<SimulatedRack>(rack);
        Assert.Equal(42, rack.Servers.Count);
        Assert.NotNull(rack.Outlets);
        Assert.True(recovery.Complete);
        Assert.Empty(journal.Entries);
    }
}
