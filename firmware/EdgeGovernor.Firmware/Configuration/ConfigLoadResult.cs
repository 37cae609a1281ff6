namespace EdgeGovernor.Firmware.Configuration;

/// <summary>The outcome of loading a configuration: the config, or every error found.</summary>
internal sealed class ConfigLoadResult
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
