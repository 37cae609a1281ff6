using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.Simulation;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// <see cref="SimulatedRackBackend"/> as <see cref="RackController"/> sees it (<see cref="IRackBackend"/>): work done
/// is what the cap let through and never more than was asked, switches go through the simulated BMCs, restore
/// uncaps every server; and a steady control step on it allocates nothing.
/// </summary>
public sealed class SimulatedRackBackendTests
{
    private static FirmwareConfig Config() => new()
    {
        NodeId = 1,
        Rack = new RackConfig
        {
            BudgetWatts = 4000,
            Servers =
            [
                new ServerConfig { Name = "web", Count = 2, MinCapWatts = 160, MaxCapWatts = 400 },
                new ServerConfig { Name = "spare", Count = 1, MinCapWatts = 160, MaxCapWatts = 400, Protected = false, BootSeconds = 60 },
            ],
        },
        PriceFeed = new PriceFeedConfig { Acceleration = 30 },
    };

    [Fact]
    public void Work_done_is_what_the_cap_lets_through_never_more_than_asked_and_nothing_unless_running()
    {
        using var backend = new SimulatedRackBackend(Config(), null);
        IRackBackend rack = backend;
        Assert.True(rack.PoweredAtStart(2) && rack.CanSwitch(2));
        rack.Sample(5);
        Assert.Equal(0, rack.Server(0).WorkFraction); // nothing asked yet

        rack.SetWorkload(0, 0.6, 1.0);   // CPU-bound: load 0.6
        rack.SetWorkload(1, 0.6, 0.5);   // half I/O-bound: load 0.2
        rack.SetCap(0, 400);
        rack.SetCap(1, 400);
        Assert.Equal(0.6, backend.Rack.SimulatedServers[0].Demand, 12);
        Assert.Equal(0.2, backend.Rack.SimulatedServers[1].Demand, 12);
        rack.Sample(5);
        ServerSample s0 = rack.Server(0), s1 = rack.Server(1);
        Assert.True(s0.Running && s1.Running);
        Assert.Equal(0.6, s0.WorkFraction, 6);
        Assert.Equal(0.6, s1.WorkFraction, 6);
        Assert.Equal(backend.Rack.SimulatedServers[0].PowerWatts, s0.PowerWatts);

        rack.SetCap(0, 160);             // the minimum cap lets less through
        rack.Sample(5);
        Assert.InRange(rack.Server(0).WorkFraction, 0.01, 0.59);

        Assert.True(rack.SetServerPower(1, on: false));
        rack.Sample(5);
        Assert.False(rack.Server(1).Running);
        Assert.Equal(0, rack.Server(1).WorkFraction);
        Assert.NotEqual(ServerPowerState.On, backend.Rack.SimulatedServers[1].PowerState);
        Assert.Equal(0, rack.Errors);
        Assert.Equal(default, rack.Counters);
    }

    [Fact]
    public void The_hottest_sensor_is_returned_and_fans_are_raised_to_the_floor()
    {
        using var backend = new SimulatedRackBackend(Config(), null);
        IRackBackend rack = backend;
        double hottest = rack.Sample(1);
        Assert.Equal(Enumerable.Range(0, 3).Max(rack.TemperatureC), hottest);
        int fans = backend.Rack.SimulatedServers.Sum(s => s.Fans.Count);
        foreach (SimulatedFan fan in backend.Rack.SimulatedServers.SelectMany(s => s.Fans))
        {
            fan.SetMode(FanControlMode.Manual);
            fan.SetDuty(10);
        }
        Assert.Equal(fans, rack.EnforceMinimumFanDuty(77));
        Assert.Equal(0, rack.EnforceMinimumFanDuty(77));
        Assert.All(backend.Rack.SimulatedServers.SelectMany(s => s.Fans), f => Assert.Equal(77, f.ReadDuty()));

        // A fan in automatic mode reads its automatic duty: when that is low, it counts as raised on every call.
        SimulatedFan auto = backend.Rack.SimulatedServers[0].Fans[0];
        auto.SetMode(FanControlMode.Automatic);
        int expected = auto.ReadDuty() < 77 ? 1 : 0;
        Assert.Equal(expected, rack.EnforceMinimumFanDuty(77));
        Assert.Equal(expected, rack.EnforceMinimumFanDuty(77));
    }

    [Fact]
    public void Restore_puts_every_cap_back_to_the_server_maximum()
    {
        using var backend = new SimulatedRackBackend(Config(), null);
        IRackBackend rack = backend;
        rack.SetCap(0, 170);
        rack.SetCap(2, 200);
        rack.Restore();
        Assert.All(backend.Rack.SimulatedServers, s => Assert.Equal(400_000_000, s.PackageZone.ReadPowerLimitMicrowatts(0)));
    }

    [Fact]
    public void A_steady_control_step_on_the_simulated_backend_allocates_nothing()
    {
        using var rack = new RackController(Config(), 1);
        double[] ahead = [.. Enumerable.Range(0, 24).Select(h => 10.0 + h)];
        const long Hour = 24 * 739_000 + 10;
        for (int i = 0; i < 5; i++)
        {
            rack.Step(Hour, 10 + (i / 100.0), 10, ahead, 1, 30);
        }

        // No wall time passes in the measured steps: the simulated rack's physics is hal's (SimulatedServer.Step
        // enumerates its fans through an interface, 32 B per server and 250 ms simulated); everything else is measured.
        int step = 5;
        AllocationAssert.NothingInSteadyState(20, () => rack.Step(Hour, 10 + (step++ / 100.0), 10, ahead, 0, 30));
        Assert.Equal(0, rack.Reading.HardwareErrors);
        Assert.True(rack.Reading.Kwh > 0);
    }
}
