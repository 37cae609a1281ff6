using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Policy.Model;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The policy's model of a configured rack (<see cref="RackSpec"/>): one <see cref="ServerSpec"/> per configured group
/// and job class (identical servers share a spec, and so their plans), protected unless the configuration allows power
/// cycling and the backend can switch every server of the group; job classes from <c>jobs[]</c> (spread over the
/// servers by <c>share</c> where a group names none), or one interactive default class; planned at the market interval
/// (<c>market.intervalMinutes</c>).
/// </summary>
internal static class RackSpecBuilder
{
    /// <summary>Value per unit of the class used when the configuration lists no jobs (EUR per full-load server-hour).</summary>
    public const double DefaultValuePerUnitEur = 0.10;

    /// <summary>Builds the rack model of <paramref name="config"/> for <paramref name="backend"/>.</summary>
    /// <exception cref="ArgumentException">The budget cannot hold every server at its floor, or a boot does not fit in one interval.</exception>
    public static RackSpec Build(FirmwareConfig config, IRackBackend backend, Logger? log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(backend);
        RackConfig rack = config.Rack;
        int count = rack.Servers.Sum(s => s.Count);
        JobClass[] classes = config.Jobs.Length == 0
            ? [JobClass.Interactive("default", DefaultValuePerUnitEur, 0.7)]
            : [.. config.Jobs.Select(ToJobClass)];
        double[] shares = config.Jobs.Length == 0 ? [1.0] : [.. config.Jobs.Select(j => j.Share)];
        var specs = new List<ServerSpec>(count);
        int index = 0;
        foreach (ServerConfig s in rack.Servers)
        {
            bool canSwitch = true;
            for (int k = 0; k < s.Count; k++)
            {
                canSwitch &= backend.CanSwitch(index + k);
            }
            if (!s.Protected && !canSwitch)
            {
                log?.Notice($"rack.servers '{s.Name}': configured unprotected, but the {rack.Hardware} backend cannot switch it: treated as protected");
            }
            var curve = new PowerCurve(GenericCurve(s.MaxCapWatts));
            var byClass = new Dictionary<int, ServerSpec>();
            for (int k = 0; k < s.Count; k++, index++)
            {
                int jobClass = s.Job.Length > 0 ? Array.FindIndex(config.Jobs, j => j.Name == s.Job) : ClassFor(index, count, shares);
                if (!byClass.TryGetValue(jobClass, out ServerSpec? spec))
                {
                    spec = new ServerSpec(s.Name, curve, s.ThroughputPerHour, s.MinCapWatts, s.MaxCapWatts, s.BootSeconds, s.BootEnergyWh,
                        Protected: s.Protected || !canSwitch, s.MinOnHours, s.MinOffHours, s.MaxCyclesPerDay, jobClass);
                    byClass[jobClass] = spec;
                }
                specs.Add(spec);
            }
        }
        double fanMin = 10.0 * count * rack.MinFanDuty;
        return new RackSpec(specs, classes, rack.BudgetWatts, rack.BudgetWatts, fanMin, 0.05, config.Market.IntervalMinutes);
    }

    /// <summary>A generic server curve (SPECpower-like shape, W at idle and 10 %..100 % load) scaled to the uncapped draw.</summary>
    public static double[] GenericCurve(double maxWatts)
    {
        double[] shape = [0.35, 0.42, 0.48, 0.54, 0.60, 0.66, 0.72, 0.79, 0.86, 0.93, 1.0];
        double[] watts = new double[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            watts[i] = shape[i] * maxWatts;
        }
        return watts;
    }

    private static JobClass ToJobClass(JobConfig j) => j.Deferrable
        ? new JobClass(j.Name, j.ValuePerUnitEur, j.CpuSensitivity, Deferrable: true, j.WorkHoursPerDay, j.ReleaseHourOfDay, (int)j.DeadlineHours, j.MissPenaltyEurPerUnit)
        : JobClass.Interactive(j.Name, j.ValuePerUnitEur, j.CpuSensitivity);

    private static int ClassFor(int server, int count, double[] shares)
    {
        double position = (server + 0.5) / count;
        double cumulative = 0;
        for (int c = 0; c < shares.Length; c++)
        {
            cumulative += shares[c];
            if (position <= cumulative + 1e-9)
            {
                return c;
            }
        }
        return shares.Length - 1;
    }
}
