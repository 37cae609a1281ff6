namespace EdgeGovernor.Firmware.Configuration;

/// <summary>One invalid setting: its JSON path (e.g. <c>$.network.multicastPort</c>) and why.</summary>
/// <param name="Path">JSONPath of the setting, <c>$</c> for the whole file.</param>
/// <param name="Reason">What is wrong, in words an operator understands.</param>
internal readonly record struct ConfigError(string Path, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Path}: {Reason}";
}
