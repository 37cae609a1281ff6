namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>A document <see cref="XmlScanner"/> refuses; <see cref="Offset"/> is the byte where the defect was found.</summary>
internal sealed class XmlScanException(string reason, int offset)
    : Exception(FormattableString.Invariant($"{reason} (at byte {offset})"))
{
    /// <summary>Byte offset into the input where the defect was found.</summary>
    public int Offset { get; } = offset;
}
