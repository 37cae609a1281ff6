namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>The curve type of an ENTSO-E time series (IEC 62325 code list).</summary>
internal enum EntsoeCurveType
{
    /// <summary>A01, sequential fixed-size blocks: every position of a Period is written.</summary>
    SequentialFixedSizeBlock,

    /// <summary>A03, variable-sized blocks: a position that is not written repeats the price of the one before it.</summary>
    VariableSizedBlock,
}
