namespace EdgeGovernor.Firmware.Observability;

/// <summary>Cumulative accounting since start.</summary>
internal sealed class AccountingStatus
{
    /// <summary>Energy, kWh.</summary>
    public double Kwh { get; set; }

    /// <summary>Energy cost, EUR.</summary>
    public double Eur { get; set; }

    /// <summary>Emissions, kg CO2.</summary>
    public double KgCo2 { get; set; }

    /// <summary>Carbon intensity in force, kg CO2 per kWh.</summary>
    public double CarbonKgPerKwh { get; set; }

    /// <summary>Value of the work done, EUR.</summary>
    public double WorkValueEur { get; set; }

    /// <summary>Server-hours spent switched off by the governor.</summary>
    public double OffServerHours { get; set; }

    /// <summary>Power-offs and power-ons executed.</summary>
    public long PowerCycles { get; set; }

    /// <summary>Units of deferrable work done against queued jobs.</summary>
    public double DeferredUnitsDone { get; set; }

    /// <summary>Units of deferrable work released.</summary>
    public double DeferredUnitsReleased { get; set; }

    /// <summary>Deferrable jobs finished by their deadline.</summary>
    public long DeadlinesMet { get; set; }

    /// <summary>Deferrable jobs with work left at their deadline.</summary>
    public long DeadlinesMissed { get; set; }

    /// <summary>Highest price applied (ct/kWh; 0 before the first).</summary>
    public double PeakPriceCt { get; set; }

    /// <summary>Mean cap of the running interactive servers at the highest price (W).</summary>
    public double InteractiveCapAtPeakWatts { get; set; }

    /// <summary>Lowest price applied (ct/kWh; 0 before the first).</summary>
    public double CheapestPriceCt { get; set; }

    /// <summary>Mean cap of the running interactive servers at the lowest price (W).</summary>
    public double InteractiveCapAtCheapestWatts { get; set; }
}
