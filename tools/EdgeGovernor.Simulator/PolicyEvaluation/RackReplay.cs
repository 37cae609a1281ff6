using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Simulation;
using EdgeGovernor.Policy;
using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// Replays a recorded run on the hardware layer's <see cref="SimulatedRack"/> (the rack the firmware uses when no
/// hardware is configured), in virtual time. Per hour: a server the rack model switched on gets a BMC power-on
/// at the start of the hour and boots for its boot time; one switched off gets a BMC soft off; a running
/// server's RAPL long-term limit is set to the policy's cap (uncapped while a deferrable job runs) and its
/// demand to the hour's demand (deferrable servers: full load while their job runs, idle otherwise). Energy,
/// power, temperatures and fan speeds come from the rack's sensors through <see cref="RackSampler"/>, once per
/// simulated minute. The rack has one boot time for all servers: the longest of the rack's servers.
/// </summary>
public static class RackReplay
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Replays <paramref name="recorded"/> (a full run of <paramref name="scenario"/>) and measures it.</summary>
    public static PhysicalReplayResult Run(Scenario scenario, RecordingPolicy recorded, Ledger modelLedger)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(modelLedger);
        if (recorded.Hours != scenario.Intervals)
        {
            throw new ArgumentException($"{recorded.Name} recorded {recorded.Hours} of the scenario's {scenario.Intervals} hours", nameof(recorded));
        }

        RackSpec spec = scenario.Rack;
        int n = spec.Servers.Count;
        var curves = new SpecPowerCurve[n];
        double longestBoot = 1;
        for (int i = 0; i < n; i++)
        {
            ServerSpec s = spec.Servers[i];
            var watts = new double[PowerCurve.PointCount];
            for (int k = 0; k < watts.Length; k++)
            {
                watts[k] = s.Curve[k];
            }

            curves[i] = new SpecPowerCurve(s.Name, "", watts);
            longestBoot = Math.Max(longestBoot, s.BootSeconds);
        }

        ServerModel model = ServerModel.Default with { BootTime = TimeSpan.FromSeconds(Math.Ceiling(longestBoot)) };
        using var rack = new SimulatedRack(curves, new SimulatedRackOptions(ServerCount: n, StepMilliseconds: 5_000, Model: model), new ManualClock());
        var sampler = new RackSampler(rack.Servers);
        int powerOns = 0, powerOffs = 0, maxRpm = 0;
        double peakWatts = 0, hottest = double.MinValue;
        for (int i = 0; i < n; i++)
        {
            rack.SimulatedServers[i].PackageZone.SetEnabled(true);
            if (!scenario.InitialState(i).On)
            {
                Control(rack, i, ChassisControl.PowerOff);
            }
        }

        sampler.Sample();
        var previous = new long[sampler.EnergyMicrojoules.Length];
        for (int t = 0; t < scenario.Intervals; t++)
        {
            for (int i = 0; i < n; i++)
            {
                SimulatedServer server = rack.SimulatedServers[i];
                bool on = recorded.WasOn(t, i);
                bool next = t + 1 < scenario.Intervals ? recorded.WasOn(t + 1, i) : on;
                ref readonly ServerSetpoint sp = ref recorded.Setpoint(t, i);
                if (!on && next)
                {
                    Control(rack, i, ChassisControl.PowerOn);
                    powerOns++;
                }
                else if (on && !next)
                {
                    Control(rack, i, ChassisControl.SoftOff);
                    powerOffs++;
                }

                bool deferrable = spec.Economics(i).Class.Deferrable;
                long max = server.PackageZone.Constraints[0].MaxPowerMicrowatts ?? long.MaxValue;
                long cap = deferrable || !(sp.CapWatts > 0) ? max : Math.Clamp((long)(sp.CapWatts * 1e6), 1, max);
                server.PackageZone.SetPowerLimitMicrowatts(0, cap);
                // The model books no work in a boot hour: the booted server idles for the rest of it.
                server.Demand = !on ? 0 : deferrable ? (sp.RunDeferrable ? 1 : 0) : scenario.Demand[t];
            }

            for (int m = 0; m < 60; m++)
            {
                rack.Advance(Minute);
                sampler.Sample();
                double joules = 0;
                for (int z = 0; z < previous.Length; z++)
                {
                    joules += (sampler.EnergyMicrojoules[z] - previous[z]) / 1e6;
                    previous[z] = sampler.EnergyMicrojoules[z];
                }

                peakWatts = Math.Max(peakWatts, joules / Minute.TotalSeconds);
                foreach (int milli in sampler.TemperaturesMillidegrees)
                {
                    hottest = Math.Max(hottest, milli / 1000.0);
                }

                foreach (int rpm in sampler.FanRpm)
                {
                    maxRpm = Math.Max(maxRpm, rpm);
                }
            }
        }

        double energyKwh = previous.Sum() / 3.6e12; // uJ -> kWh
        return new PhysicalReplayResult(recorded.Name, energyKwh, modelLedger.ServerEnergyKwh.Sum(), peakWatts / 1000, hottest, maxRpm, powerOns, powerOffs, sampler.Failures);
    }

    /// <summary>Chassis control through the server's BMC (the simulated BMC completes at once).</summary>
    private static void Control(SimulatedRack rack, int server, ChassisControl action)
    {
        IBmc bmc = rack.Servers[server].Bmc ?? throw new InvalidOperationException($"{rack.Servers[server].Name} has no BMC");
        bmc.ChassisControlAsync(action).AsTask().GetAwaiter().GetResult();
    }
}
