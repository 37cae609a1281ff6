namespace EdgeGovernor.Simulator.Contracts;

/// <summary>The figures of <c>evaluate-contracts --json</c>.</summary>
public sealed record FederationReport
{
    public required int Racks { get; init; }

    public required int Hours { get; init; }

    public required int Contracts { get; init; }

    /// <summary>Injected faults: message loss and duplication probabilities, controller crashes per rack-hour, minutes down.</summary>
    public required double Loss { get; init; }

    public required double Duplicate { get; init; }

    public required double CrashRate { get; init; }

    public required int RestartAfterMinutes { get; init; }

    /// <summary>Controller crashes in both contract modes.</summary>
    public required int Crashes { get; init; }

    /// <summary>Contract messages lost (network or a controller down), both contract modes.</summary>
    public required long MessagesLost { get; init; }

    /// <summary>Transfers aborted (refused or unresolved at their decide-by deadline), both contract modes.</summary>
    public required int TransfersAborted { get; init; }

    /// <summary>Transfers never resolved (must be 0).</summary>
    public required int TransfersUnresolved { get; init; }

    public required double NetValueNoContracts { get; init; }

    public required double NetValueContracts { get; init; }

    public required double NetValueContractsRange { get; init; }

    public required double NetValueCentral { get; init; }

    /// <summary>(contracts - none) / (central - none), for the fixed-price contracts.</summary>
    public required double GainShare { get; init; }

    /// <summary>The same for the small price range.</summary>
    public required double GainShareRange { get; init; }

    /// <summary>Racks whose net value with contracts (either kind) is below their net value without.</summary>
    public required int RacksWorseOff { get; init; }

    public required long UnitsMoved { get; init; }

    public required long UnitsLost { get; init; }

    public required long UnitsDuplicated { get; init; }

    public required int LedgerMismatches { get; init; }

    public required int EnvelopeViolations { get; init; }

    public required double MessagesPerMovedUnit { get; init; }

    public required int OverloadedRackHoursNoContracts { get; init; }

    public required int OverloadedRackHoursContracts { get; init; }

    public required int OverloadedRackHoursContractsRange { get; init; }

    public required int OverloadedRackHoursCentral { get; init; }

    public required IReadOnlyList<ModeResult> Modes { get; init; }

    internal static FederationReport From(FederationOptions options, int contracts, IReadOnlyList<ModeResult> modes)
    {
        ModeResult none = modes.Single(m => m.Mode == nameof(ContractMode.None));
        ModeResult fixedPrice = modes.Single(m => m.Mode == nameof(ContractMode.FixedPrice));
        ModeResult range = modes.Single(m => m.Mode == nameof(ContractMode.PriceRange));
        ModeResult central = modes.Single(m => m.Mode == nameof(ContractMode.Central));
        double possible = central.NetValue - none.NetValue;
        int worse = 0;
        for (int r = 0; r < none.RackNetValues.Length; r++)
        {
            if (fixedPrice.RackNetValues[r] < none.RackNetValues[r] - 1e-9 || range.RackNetValues[r] < none.RackNetValues[r] - 1e-9)
            {
                worse++;
            }
        }
        ModeResult[] traded = [fixedPrice, range];
        long moved = traded.Sum(m => m.UnitsMoved);
        return new FederationReport
        {
            Racks = options.Racks,
            Hours = options.Hours,
            Contracts = contracts,
            Loss = options.Loss,
            Duplicate = options.Duplicate,
            CrashRate = options.CrashRate,
            RestartAfterMinutes = options.RestartAfterMinutes,
            Crashes = traded.Sum(m => m.Crashes),
            MessagesLost = traded.Sum(m => m.MessagesLost),
            TransfersAborted = traded.Sum(m => m.TransfersAborted),
            TransfersUnresolved = traded.Sum(m => m.Unresolved),
            NetValueNoContracts = none.NetValue,
            NetValueContracts = fixedPrice.NetValue,
            NetValueContractsRange = range.NetValue,
            NetValueCentral = central.NetValue,
            GainShare = possible > 0 ? (fixedPrice.NetValue - none.NetValue) / possible : double.NaN,
            GainShareRange = possible > 0 ? (range.NetValue - none.NetValue) / possible : double.NaN,
            RacksWorseOff = worse,
            UnitsMoved = fixedPrice.UnitsMoved,
            UnitsLost = modes.Sum(m => m.UnitsLost),
            UnitsDuplicated = modes.Sum(m => m.UnitsDuplicated),
            LedgerMismatches = modes.Sum(m => m.LedgerMismatches),
            EnvelopeViolations = modes.Sum(m => m.EnvelopeViolations),
            MessagesPerMovedUnit = moved > 0 ? traded.Sum(m => m.Messages) / (double)moved : 0,
            OverloadedRackHoursNoContracts = none.OverloadedRackHours,
            OverloadedRackHoursContracts = fixedPrice.OverloadedRackHours,
            OverloadedRackHoursContractsRange = range.OverloadedRackHours,
            OverloadedRackHoursCentral = central.OverloadedRackHours,
            Modes = modes,
        };
    }
}
