namespace EdgeGovernor.Firmware.Hosting;

/// <summary>What a <see cref="PriceSchedule.Refresh"/> found.</summary>
internal enum PriceChange
{
    /// <summary>Nothing new: the same price is in force, or still none.</summary>
    None,

    /// <summary>A new price is in force (another interval, or a corrected price for the same one).</summary>
    Applied,

    /// <summary>The price in force expired with no successor: the safe policy holds.</summary>
    Lost,
}
