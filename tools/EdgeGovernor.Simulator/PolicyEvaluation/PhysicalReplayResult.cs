using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Simulation;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// What a policy's decisions did to the hardware layer's simulated rack (<see cref="SimulatedRack"/>), measured
/// through the same interfaces as real hardware: RAPL energy counters and temperature and fan sensors read by a
/// <see cref="RackSampler"/>, power states set through each server's <see cref="IBmc"/>.
/// </summary>
/// <param name="Policy">The policy replayed.</param>
/// <param name="ItEnergyKwh">Energy of the servers from their RAPL counters (wrap-around accumulated).</param>
/// <param name="ModelItEnergyKwh">The same energy as the hourly rack model booked it (fans excluded), for comparison.</param>
/// <param name="PeakItKw">Highest one-minute average of the servers' power.</param>
/// <param name="HottestCelsius">Hottest reading of any temperature sensor at the end of any minute.</param>
/// <param name="MaxFanRpm">Fastest fan at the end of any minute.</param>
/// <param name="PowerOns">Chassis power-on commands sent to BMCs.</param>
/// <param name="PowerOffs">Chassis soft-off commands sent to BMCs.</param>
/// <param name="SensorFailures">Sensor reads that failed (0 on the simulated rack).</param>
public sealed record PhysicalReplayResult(
    string Policy,
    double ItEnergyKwh,
    double ModelItEnergyKwh,
    double PeakItKw,
    double HottestCelsius,
    int MaxFanRpm,
    int PowerOns,
    int PowerOffs,
    long SensorFailures);
