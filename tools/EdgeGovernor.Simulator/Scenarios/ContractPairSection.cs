namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>One load contract of a <see cref="ContractSection"/>: the <c>owner</c> node offers units to the <c>receiver</c>
/// node under these terms (prices in micros per unit).</summary>
public sealed class ContractPairSection
{
    /// <summary>Node index that owns the units and offers them (required).</summary>
    public int? Owner { get; set; }

    /// <summary>Node index that receives and runs them (required, not the owner).</summary>
    public int? Receiver { get; set; }

    /// <summary>Lowest unit price in micros (default 100000).</summary>
    public uint? PriceMinMicros { get; set; }

    /// <summary>Highest unit price in micros (default 200000).</summary>
    public uint? PriceMaxMicros { get; set; }

    /// <summary>Most units one offer may carry (the contract's hourly cap; default 16).</summary>
    public uint? MaxUnitsPerHour { get; set; }

    /// <summary>Job classes the contract moves, as a bit mask (bit i = class i; default 1).</summary>
    public ulong? Classes { get; set; }
}
