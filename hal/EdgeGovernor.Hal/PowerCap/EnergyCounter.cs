namespace EdgeGovernor.Hal.PowerCap;

/// <summary>
/// Accumulates a wrapping energy counter into a monotonic total. The kernel's <c>energy_uj</c> runs from 0 to
/// <c>max_energy_range_uj</c> and starts again at 0; a reading below the previous one means one wrap, so the
/// delta is <c>max - previous + current</c> (the convention of the kernel documentation and of powerstat /
/// turbostat). Sample at least once per wrap period (2^32 RAPL units: about 20 minutes at 200 W).
/// </summary>
public struct EnergyCounter
{
    private long _previous;
    private bool _started;

    /// <summary>Creates a counter for a zone whose counter wraps at <paramref name="maxEnergyRangeMicrojoules"/>.</summary>
    public EnergyCounter(long maxEnergyRangeMicrojoules)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEnergyRangeMicrojoules);
        MaxEnergyRangeMicrojoules = maxEnergyRangeMicrojoules;
    }

    /// <summary>The wrap value.</summary>
    public long MaxEnergyRangeMicrojoules { get; }

    /// <summary>Energy accumulated since the first sample, in microjoules.</summary>
    public long TotalMicrojoules { get; private set; }

    /// <summary>Number of wraps seen.</summary>
    public int Wraps { get; private set; }

    /// <summary>
    /// Feeds a raw reading and returns the energy since the previous one (0 for the first). A reading outside
    /// 0..max is <see cref="HalErrorKind.Garbage"/> and leaves the counter unchanged.
    /// </summary>
    public long Update(long raw)
    {
        if (raw < 0 || raw > MaxEnergyRangeMicrojoules)
        {
            throw new HalException(HalErrorKind.Garbage, $"energy reading {raw} uJ outside 0..{MaxEnergyRangeMicrojoules}");
        }

        if (!_started)
        {
            _started = true;
            _previous = raw;
            return 0;
        }

        long delta;
        if (raw >= _previous)
        {
            delta = raw - _previous;
        }
        else
        {
            delta = MaxEnergyRangeMicrojoules - _previous + raw;
            Wraps++;
        }

        _previous = raw;
        TotalMicrojoules += delta;
        return delta;
    }
}
