namespace EdgeGovernor.Policy.Model;

/// <summary>
/// A class of jobs: what a unit of its work is worth, how its throughput follows CPU power, and, if its
/// work is deferrable, how much arrives each day and by when it must be done.
/// </summary>
/// <param name="Name">Label used in reports.</param>
/// <param name="ValuePerUnitEur">Value of one unit of work (EUR).</param>
/// <param name="Sensitivity">
/// 0..1: the share of throughput that scales with CPU power. At load level u (from the power curve) a job
/// runs at the fraction <c>1 - s + s*u</c> of its full-power throughput: 1 = CPU-bound, 0 = I/O-bound.
/// </param>
/// <param name="Deferrable">Deferrable work arrives as one job per day per server and may run in any hour before its deadline.</param>
/// <param name="DailySlots">Deferrable: hours of full-power running that one day's job needs.</param>
/// <param name="ReleaseHourOfDay">Deferrable: hour of day (0..23) at which the job arrives.</param>
/// <param name="DeadlineHours">Deferrable: hours from release to deadline (1..24).</param>
/// <param name="MissPenaltyEurPerUnit">Deferrable: penalty per unit of work not done by its deadline, used by the optimisers to make deadlines hard.</param>
public sealed record JobClass(
    string Name,
    double ValuePerUnitEur,
    double Sensitivity,
    bool Deferrable,
    int DailySlots,
    int ReleaseHourOfDay,
    int DeadlineHours,
    double MissPenaltyEurPerUnit)
{
    /// <summary>An interactive (non-deferrable) class whose demand is given per hour.</summary>
    public static JobClass Interactive(string name, double valuePerUnitEur, double sensitivity) =>
        new(name, valuePerUnitEur, sensitivity, false, 0, 0, 0, 0);

    /// <summary>Hour of day (0..23) at which a deferrable job is due.</summary>
    public int DeadlineHourOfDay => (ReleaseHourOfDay + DeadlineHours) % 24;

    /// <summary>Checks the fields and throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (!double.IsFinite(ValuePerUnitEur) || ValuePerUnitEur < 0)
        {
            throw new ArgumentException($"job class '{Name}': value per unit must be >= 0 EUR, got {ValuePerUnitEur}");
        }

        if (!(Sensitivity >= 0 && Sensitivity <= 1))
        {
            throw new ArgumentException($"job class '{Name}': sensitivity must be within 0..1, got {Sensitivity}");
        }

        if (Deferrable)
        {
            if (DeadlineHours < 1 || DeadlineHours > 24)
            {
                throw new ArgumentException($"job class '{Name}': deadline must be 1..24 h after release, got {DeadlineHours}");
            }

            if (DailySlots < 1 || DailySlots > DeadlineHours || DailySlots > 24)
            {
                throw new ArgumentException($"job class '{Name}': daily slots must be within 1..deadline ({DeadlineHours}), got {DailySlots}");
            }

            if (ReleaseHourOfDay < 0 || ReleaseHourOfDay > 23)
            {
                throw new ArgumentException($"job class '{Name}': release hour must be 0..23, got {ReleaseHourOfDay}");
            }

            if (!(MissPenaltyEurPerUnit >= 0) || !double.IsFinite(MissPenaltyEurPerUnit))
            {
                throw new ArgumentException($"job class '{Name}': miss penalty must be >= 0, got {MissPenaltyEurPerUnit}");
            }
        }
    }
}
