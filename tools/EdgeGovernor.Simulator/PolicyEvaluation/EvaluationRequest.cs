namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>What to evaluate (the parsed command line of <c>evaluate-policy</c>).</summary>
public sealed record EvaluationRequest
{
    /// <summary>Price CSV.</summary>
    public required string Prices { get; init; }

    /// <summary>Carbon CSV, or null for 429 g/kWh.</summary>
    public string? Carbon { get; init; }

    /// <summary>Use the life-cycle carbon column instead of the direct one.</summary>
    public bool CarbonLifeCycle { get; init; }

    /// <summary>IANA zone of the market: local times without offset are in it, months and days follow it.</summary>
    public string MarketZone { get; init; } = CarbonAlignment.DefaultMarketZone;

    /// <summary>Demand trace, or null for a flat 0.65.</summary>
    public string? Demand { get; init; }

    /// <summary>Server CSV.</summary>
    public required string Servers { get; init; }

    /// <summary>First day, or null for the start of the price series.</summary>
    public DateTime? From { get; init; }

    /// <summary>Days, or null for the rest of the series.</summary>
    public int? Days { get; init; }

    /// <summary>Evaluate each calendar month as well as the whole range.</summary>
    public bool ByMonth { get; init; }

    /// <summary>Gaps up to this many hours are filled (see <see cref="MarketSeries"/>).</summary>
    public int MaxGapHours { get; init; } = 24;

    /// <summary>Hour of day from which the next day's prices are known.</summary>
    public int PublishHourOfDay { get; init; } = 13;

    /// <summary>Rack settings.</summary>
    public RackOptions Rack { get; init; } = new();

    /// <summary>Baseline settings.</summary>
    public BaselineOptions Baselines { get; init; } = new();

    /// <summary>Carbon prices (per tonne CO2) at which to run the governor again for the trade-off table; empty = none.</summary>
    public IReadOnlyList<double> CarbonPrices { get; init; } = [];

    /// <summary>Also replay the governor's run on the hardware layer's simulated rack (<see cref="RackReplay"/>).</summary>
    public bool Physical { get; init; }
}
