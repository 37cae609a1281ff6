namespace EdgeGovernor.Hal.Simulation;

/// <summary>Options of a simulated rack.</summary>
/// <param name="ServerCount">Servers in the rack.</param>
/// <param name="InletCelsius">Cold-aisle temperature.</param>
/// <param name="OutletsActiveLow">True when a low line level closes the outlet relays.</param>
/// <param name="StepMilliseconds">Integration step.</param>
/// <param name="MaxEnergyRangeMicrojoules">Wrap value of the simulated RAPL counters (the kernel's typical 262143328850 by default).</param>
/// <param name="Model">Server parameters; <see cref="ServerModel.Default"/> when null.</param>
/// <param name="StartRunning">True: servers start on and running; false: off.</param>
public sealed record SimulatedRackOptions(
    int ServerCount = 42,
    double InletCelsius = 24,
    bool OutletsActiveLow = false,
    int StepMilliseconds = 100,
    long MaxEnergyRangeMicrojoules = 262_143_328_850,
    ServerModel? Model = null,
    bool StartRunning = true);
