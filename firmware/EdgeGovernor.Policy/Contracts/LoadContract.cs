namespace EdgeGovernor.Policy.Contracts;

/// <summary>
/// A bilateral load contract as one side holds it (Medusa: negotiated offline, private to the two partners): the
/// price range per unit of deferrable work, what the holder may send and accept, the hourly cap, the cost of moving
/// one unit, and when it is valid. A unit is one server-hour of deferrable batch work at full load.
/// </summary>
/// <param name="Partner">The other rack's id.</param>
/// <param name="PriceMin">Lowest price per unit, in the run's currency.</param>
/// <param name="PriceMax">Highest price per unit (equal to <paramref name="PriceMin"/> for a fixed-price contract).</param>
/// <param name="MaxUnitsPerHour">At most this many units move under the contract in one hour, both ways together.</param>
/// <param name="MigrationCostPerUnit">What moving one unit costs its sender (data transfer, set-up), same currency.</param>
/// <param name="ClassesOut">Bit set of job classes the holder may send (bit i = class i).</param>
/// <param name="ClassesIn">Bit set of job classes the holder accepts.</param>
/// <param name="ValidFromHour">First hour (absolute hour index) the contract may be used.</param>
/// <param name="ValidToHour">First hour it may no longer be used.</param>
public readonly record struct LoadContract(
    int Partner,
    double PriceMin,
    double PriceMax,
    int MaxUnitsPerHour,
    double MigrationCostPerUnit,
    ulong ClassesOut,
    ulong ClassesIn,
    long ValidFromHour,
    long ValidToHour)
{
    /// <summary>Upper bound of a unit price: a server-hour is never worth more than this much money.</summary>
    public const double MaxPrice = 1000;

    /// <summary>Upper bound of the hourly cap.</summary>
    public const int MaxUnitsPerHourLimit = 100_000;

    /// <summary>Null when the contract is usable; otherwise what is wrong with it, naming the field.</summary>
    public string? Validate()
    {
        if (Partner < 0)
        {
            return "partner: must be a rack id >= 0";
        }
        if (!double.IsFinite(PriceMin) || !double.IsFinite(PriceMax) || PriceMin < 0 || PriceMax > MaxPrice)
        {
            return $"priceMin/priceMax: must be finite, within 0..{MaxPrice}";
        }
        if (PriceMin > PriceMax)
        {
            return "priceMin: must not exceed priceMax";
        }
        if (MaxUnitsPerHour is < 1 or > MaxUnitsPerHourLimit)
        {
            return $"maxUnitsPerHour: must be within 1..{MaxUnitsPerHourLimit}";
        }
        if (!double.IsFinite(MigrationCostPerUnit) || MigrationCostPerUnit < 0 || MigrationCostPerUnit > MaxPrice)
        {
            return $"migrationCostPerUnit: must be within 0..{MaxPrice}";
        }
        if (ClassesOut == 0 && ClassesIn == 0)
        {
            return "classesOut/classesIn: the contract moves no job class either way";
        }
        if (ValidFromHour >= ValidToHour)
        {
            return "validFrom: must be before validTo";
        }
        return null;
    }

    /// <summary>True when the contract may be used in <paramref name="hour"/>.</summary>
    public bool IsValidAt(long hour) => hour >= ValidFromHour && hour < ValidToHour;

    /// <summary>The same contract as the partner holds it (classes out and in swapped).</summary>
    public LoadContract Mirrored(int holder) => this with { Partner = holder, ClassesOut = ClassesIn, ClassesIn = ClassesOut };

    /// <summary>
    /// True when <paramref name="other"/> (the partner's copy) is this contract seen from the other side: the same
    /// prices, cap, migration cost and validity, classes swapped. A contract that only one side holds, or whose
    /// copies disagree, is reported and never used.
    /// </summary>
    public bool Matches(LoadContract other, int holder) => other == Mirrored(holder);
}
