namespace EdgeGovernor.Firmware.Observability;

/// <summary>The rack's state.</summary>
internal sealed class RackStatus
{
    /// <summary>Total draw, watts.</summary>
    public double PowerWatts { get; set; }

    /// <summary>Sum of the servers' caps, watts.</summary>
    public double CapWatts { get; set; }

    /// <summary>PDU budget, watts.</summary>
    public double BudgetWatts { get; set; }

    /// <summary>Hottest server, degrees Celsius.</summary>
    public double MaxTemperatureC { get; set; }

    /// <summary>Servers powered on.</summary>
    public int ServersOn { get; set; }

    /// <summary>Servers in the rack.</summary>
    public int Servers { get; set; }

    /// <summary>Envelope interventions (budget, thermal, fans) so far.</summary>
    public long EnvelopeActions { get; set; }

    /// <summary>GPIO inputs (tachometers, alarm lines); omitted without any.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public InputsStatus? Inputs { get; set; }
}
