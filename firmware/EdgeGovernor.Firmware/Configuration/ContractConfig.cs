namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// One load contract this board holds (array <c>contracts</c>; Medusa's bilateral contract, negotiated offline and
/// private to the two partners): whom with, the price range per unit of deferrable work (one server-hour at full load)
/// in the run's currency, the job classes that may move each way, the hourly cap, the migration cost and the validity
/// period. The partner's board holds the mirror image (classes out and in swapped); a contract whose copies differ, or
/// that only one side holds, is reported and never used. Checked by <see cref="ContractConfigValidator"/>, turned into
/// the policy's <c>LoadContract</c> by <see cref="ContractDefinition"/>.
/// </summary>
internal sealed class ContractConfig
{
    /// <summary>The contract's id, the same in both partners' configurations (1..4294967295, unique on this board).</summary>
    public uint Id { get; set; }

    /// <summary>The partner board's node id (listed in <c>network.peers</c> with its public key).</summary>
    public uint Partner { get; set; }

    /// <summary>Lowest price per unit (0..1000, the run's currency).</summary>
    public double PriceMin { get; set; }

    /// <summary>Highest price per unit (priceMin..1000; equal to priceMin for a fixed price).</summary>
    public double PriceMax { get; set; }

    /// <summary>Deferrable job classes (names from <c>jobs</c>) this board may send to the partner.</summary>
    public string[] ClassesOut { get; set; } = [];

    /// <summary>Deferrable job classes this board accepts from the partner.</summary>
    public string[] ClassesIn { get; set; } = [];

    /// <summary>Most units moved under the contract in one hour, both ways together (1..100000).</summary>
    public int MaxUnitsPerHour { get; set; } = 1;

    /// <summary>What moving one unit costs its sender (0..1000, the run's currency).</summary>
    public double MigrationCostPerUnit { get; set; }

    /// <summary>First instant the contract may be used: ISO 8601 with <c>Z</c> or an offset, on a whole hour (market clock).</summary>
    public string ValidFrom { get; set; } = "";

    /// <summary>First instant it may no longer be used (same form, after <see cref="ValidFrom"/>).</summary>
    public string ValidUntil { get; set; } = "";

    /// <summary>This board's own minimum gain per unit before it trades (0..1000; not part of the terms the partners compare).</summary>
    public double HysteresisPerUnit { get; set; } = 0.001;
}
