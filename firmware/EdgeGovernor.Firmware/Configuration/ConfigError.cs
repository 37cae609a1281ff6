namespace EdgeGovernor.Firmware.Configuration;

/// <summary>One invalid setting: its JSON path (e.g. <c>$.network.multicastPort</c>) and why.</summary>
/// <param name="Path">JSONPath of the setting, <c>$</c> for the whole file.</param>
/// <param name="Reason">What is wrong, in words an operator understands.</param>
public readonly record struct ConfigError(string Path, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>The outcome of loading a configuration: the config, or every error found.</summary>
public sealed class ConfigLoadResult
{
    private ConfigLoadResult(FirmwareConfig? config, IReadOnlyList<ConfigError> errors)
    {
        Config = config;
        Errors = errors;
    }

    /// <summary>The valid configuration, or null when <see cref="Errors"/> is not empty.</summary>
    public FirmwareConfig? Config { get; }

    /// <summary>All errors found (empty when the configuration is valid).</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>True when the configuration can be used.</summary>
    public bool IsValid => Config is not null;

    internal static ConfigLoadResult Valid(FirmwareConfig config) => new(config, []);

    internal static ConfigLoadResult Invalid(IReadOnlyList<ConfigError> errors) => new(null, errors);
}
