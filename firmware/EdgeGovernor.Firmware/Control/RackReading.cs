using EdgeGovernor.Policy;

namespace EdgeGovernor.Firmware.Control;

/// <summary>What one control step measured and decided (plain numbers, copied for /status and /metrics).</summary>
internal struct RackReading
{
    /// <summary>Measured rack draw, watts.</summary>
    public double PowerWatts;

    /// <summary>Sum of programmed caps, watts.</summary>
    public double CapWatts;

    /// <summary>Hottest CPU, degrees Celsius.</summary>
    public double MaxTemperatureC;

    /// <summary>Servers powered on.</summary>
    public int ServersOn;

    /// <summary>Rule set of the last decision.</summary>
    public PolicyMode Mode;

    /// <summary>Envelope interventions so far (budget, thermal, fans).</summary>
    public long EnvelopeActions;

    /// <summary>Cumulative energy, kWh (market time).</summary>
    public double Kwh;

    /// <summary>Cumulative energy cost, EUR.</summary>
    public double Eur;

    /// <summary>Cumulative emissions, kg CO2.</summary>
    public double KgCo2;

    /// <summary>Cumulative value of the work done, EUR.</summary>
    public double WorkValueEur;

    /// <summary>Failed hardware reads and writes so far (counted, never fatal; 0 on the simulated rack).</summary>
    public long HardwareErrors;

    /// <summary>GPIO inputs of the linux backend (tachometers, alarm lines); null without any. Read by /status and /metrics.</summary>
    public OperatorInputs? Inputs;

    /// <summary>True while an alarm input holds the rack at its safe policy.</summary>
    public bool SafePolicyHeld;

    /// <summary>Actuator counters of the linux backend (BMCs, outlets, cpufreq; zero on the simulated rack).</summary>
    public HardwareCounters Hardware;

    /// <summary>Server-hours (market time) servers spent switched off by the governor.</summary>
    public double OffServerHours;

    /// <summary>Power-offs executed.</summary>
    public long PowerOffs;

    /// <summary>Power-ons (boots) executed.</summary>
    public long PowerOns;

    /// <summary>Units of deferrable work done (counted against queued jobs only).</summary>
    public double DeferredUnitsDone;

    /// <summary>Units of deferrable work released so far.</summary>
    public double DeferredUnitsReleased;

    /// <summary>Deferrable jobs finished by their deadline.</summary>
    public long DeadlinesMet;

    /// <summary>Deferrable jobs with work left at their deadline.</summary>
    public long DeadlinesMissed;

    /// <summary>Highest price applied so far (ct/kWh; NaN before the first).</summary>
    public double PeakPriceCt;

    /// <summary>Mean cap of the running interactive servers while <see cref="PeakPriceCt"/> was in force (W).</summary>
    public double InteractiveCapAtPeakWatts;

    /// <summary>Lowest price applied so far (ct/kWh; NaN before the first).</summary>
    public double CheapestPriceCt;

    /// <summary>Mean cap of the running interactive servers while <see cref="CheapestPriceCt"/> was in force (W).</summary>
    public double InteractiveCapAtCheapestWatts;
}
