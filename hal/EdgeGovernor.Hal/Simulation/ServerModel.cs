namespace EdgeGovernor.Hal.Simulation;

/// <summary>Parameters of a simulated server beyond its power curve.</summary>
/// <param name="BootTime">From power-on to running.</param>
/// <param name="ShutdownTime">From soft off to off.</param>
/// <param name="StandbyWatts">Draw while off with the outlet on (BMC, PSU).</param>
/// <param name="BootUtilization">Load equivalent of booting (POST, OS start): power = curve at this load, not capped.</param>
/// <param name="FanCount">Fans per server.</param>
/// <param name="FanMaxRpm">Fan speed at full duty.</param>
/// <param name="ThermalRiseAtMaxPowerFullAirflow">Heat sink temperature above inlet at maximum power with fans at full speed (K).</param>
/// <param name="ThermalTimeConstant">First-order time constant of the heat sink.</param>
/// <param name="MinFrequencyKhz">cpuinfo_min_freq of the simulated CPU.</param>
/// <param name="MaxFrequencyKhz">cpuinfo_max_freq of the simulated CPU.</param>
public sealed record ServerModel(
    TimeSpan BootTime,
    TimeSpan ShutdownTime,
    double StandbyWatts = 8,
    double BootUtilization = 0.4,
    int FanCount = 2,
    int FanMaxRpm = 12_000,
    double ThermalRiseAtMaxPowerFullAirflow = 35,
    TimeSpan ThermalTimeConstant = default,
    long MinFrequencyKhz = 800_000,
    long MaxFrequencyKhz = 3_000_000)
{
    /// <summary>A typical 1U server: 120 s boot, 30 s shutdown.</summary>
    public static ServerModel Default { get; } = new(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(30));

    /// <summary>The time constant in force (60 s when not given).</summary>
    public TimeSpan EffectiveThermalTimeConstant => ThermalTimeConstant == default ? TimeSpan.FromSeconds(60) : ThermalTimeConstant;
}
