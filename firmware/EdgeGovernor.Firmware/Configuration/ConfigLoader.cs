using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// Reads and validates the configuration file. Three passes, all before anything starts:
/// JSON syntax; the shape against the source-generated metadata (unknown settings, wrong types,
/// numbers out of their type's range) walked over the whole document so that every error is
/// reported at once; then the meaning of every value (<see cref="ConfigValidator"/>).
/// </summary>
internal static class ConfigLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    /// <summary>Largest configuration file accepted (bytes).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Loads the file at <paramref name="path"/>; relative paths inside it are resolved against its directory.</summary>
    public static ConfigLoadResult Load(string path)
    {
        string json;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return ConfigLoadResult.Invalid([new ConfigError("$", $"configuration file '{path}' does not exist")]);
            }
            if (info.Length > MaxFileBytes)
            {
                return ConfigLoadResult.Invalid([new ConfigError("$", $"configuration file '{path}' is larger than {MaxFileBytes} bytes")]);
            }
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ConfigLoadResult.Invalid([new ConfigError("$", $"cannot read configuration file '{path}': {e.Message}")]);
        }
        string baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return Parse(json, baseDirectory);
    }

    /// <summary>Parses and validates configuration text; relative file paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static ConfigLoadResult Parse(string json, string baseDirectory)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            return ConfigLoadResult.Invalid([new ConfigError("$", $"not valid JSON{where}")]);
        }

        using (document)
        {
            var errors = new List<ConfigError>();
            var context = ConfigJsonContext.Default;
            CheckShape(document.RootElement, context.FirmwareConfig, "$", errors);
            if (errors.Count > 0)
            {
                return ConfigLoadResult.Invalid(errors);
            }

            FirmwareConfig? config;
            try
            {
                config = document.RootElement.Deserialize(context.FirmwareConfig);
            }
            catch (JsonException e)
            {
                // The shape pass should have caught everything; this is the last line of defence.
                return ConfigLoadResult.Invalid([new ConfigError(e.Path ?? "$", "invalid value")]);
            }
            if (config is null)
            {
                return ConfigLoadResult.Invalid([new ConfigError("$", "the configuration must be a JSON object")]);
            }

            ResolvePaths(config, baseDirectory);
            ConfigValidator.Validate(config, errors);
            return errors.Count > 0 ? ConfigLoadResult.Invalid(errors) : ConfigLoadResult.Valid(config);
        }
    }

    private static void ResolvePaths(FirmwareConfig config, string baseDirectory)
    {
        config.ClusterKeyFile = Resolve(config.ClusterKeyFile, baseDirectory);
        config.SigningKeyFile = Resolve(config.SigningKeyFile, baseDirectory);
        config.StateDirectory = Resolve(config.StateDirectory, baseDirectory);
        config.PriceFeed.CsvPath = Resolve(config.PriceFeed.CsvPath, baseDirectory);
        config.PriceFeed.Entsoe.TokenFile = Resolve(config.PriceFeed.Entsoe.TokenFile, baseDirectory);
        config.Carbon.CsvPath = Resolve(config.Carbon.CsvPath, baseDirectory);
        config.Rack.SysfsRoot = Resolve(config.Rack.SysfsRoot, baseDirectory);
        config.Rack.StateFile = Resolve(config.Rack.StateFile, baseDirectory);
        config.Observability.HttpBearerTokenFile = Resolve(config.Observability.HttpBearerTokenFile, baseDirectory);
        config.Observability.HttpBasicAuthPasswordFile = Resolve(config.Observability.HttpBasicAuthPasswordFile, baseDirectory);
        foreach (ServerConfig server in config.Rack.Servers)
        {
            if (server.Bmc is { } bmc)
            {
                bmc.CredentialsFile = Resolve(bmc.CredentialsFile, baseDirectory);
            }
            server.Redfish?.ResolvePaths(baseDirectory);
            server.Outlet?.Redfish?.ResolvePaths(baseDirectory);
        }
    }

    private static string Resolve(string path, string baseDirectory) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

    /// <summary>Walks <paramref name="element"/> against the metadata of the type it must become.</summary>
    private static void CheckShape(JsonElement element, JsonTypeInfo typeInfo, string path, List<ConfigError> errors)
    {
        Type type = Nullable.GetUnderlyingType(typeInfo.Type) ?? typeInfo.Type;
        if (element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new ConfigError(path, "must not be null (leave the setting out to get its default)"));
            return;
        }

        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object:
                if (element.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new ConfigError(path, $"expected an object, found {Describe(element)}"));
                    return;
                }
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    JsonPropertyInfo? match = null;
                    foreach (JsonPropertyInfo candidate in typeInfo.Properties)
                    {
                        if (candidate.Name == property.Name)
                        {
                            match = candidate;
                            break;
                        }
                    }
                    string childPath = $"{path}.{property.Name}";
                    if (match is null)
                    {
                        errors.Add(new ConfigError(childPath, $"unknown setting (known here: {KnownNames(typeInfo)})"));
                        continue;
                    }
                    CheckShape(property.Value, typeInfo.Options.GetTypeInfo(match.PropertyType), childPath, errors);
                }
                return;

            case JsonTypeInfoKind.Enumerable:
                if (element.ValueKind != JsonValueKind.Array)
                {
                    errors.Add(new ConfigError(path, $"expected an array, found {Describe(element)}"));
                    return;
                }
                JsonTypeInfo elementInfo = typeInfo.Options.GetTypeInfo(typeInfo.ElementType!);
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    CheckShape(item, elementInfo, $"{path}[{index++}]", errors);
                }
                return;

            default:
                CheckScalar(element, type, path, errors);
                return;
        }
    }

    private static void CheckScalar(JsonElement element, Type type, string path, List<ConfigError> errors)
    {
        if (type == typeof(string))
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                errors.Add(new ConfigError(path, $"expected a string, found {Describe(element)}"));
            }
        }
        else if (type == typeof(bool))
        {
            if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add(new ConfigError(path, $"expected true or false, found {Describe(element)}"));
            }
        }
        else if (element.ValueKind != JsonValueKind.Number)
        {
            errors.Add(new ConfigError(path, $"expected a number, found {Describe(element)}"));
        }
        else if (type == typeof(int) && !element.TryGetInt32(out _))
        {
            errors.Add(new ConfigError(path, $"expected a whole number between {int.MinValue} and {int.MaxValue}, found {element.GetRawText()}"));
        }
        else if (type == typeof(uint) && !element.TryGetUInt32(out _))
        {
            errors.Add(new ConfigError(path, $"expected a whole number between 0 and {uint.MaxValue}, found {element.GetRawText()}"));
        }
        else if (type == typeof(long) && !element.TryGetInt64(out _))
        {
            errors.Add(new ConfigError(path, $"expected a whole number between {long.MinValue} and {long.MaxValue}, found {element.GetRawText()}"));
        }
        else if (type == typeof(ulong) && !element.TryGetUInt64(out _))
        {
            errors.Add(new ConfigError(path, $"expected a whole number between 0 and {ulong.MaxValue}, found {element.GetRawText()}"));
        }
        else if (type == typeof(double) && (!element.TryGetDouble(out double d) || !double.IsFinite(d)))
        {
            errors.Add(new ConfigError(path, $"expected a finite number, found {element.GetRawText()}"));
        }
    }

    private static string KnownNames(JsonTypeInfo typeInfo)
    {
        var names = new List<string>(typeInfo.Properties.Count);
        foreach (JsonPropertyInfo p in typeInfo.Properties)
        {
            names.Add(p.Name);
        }
        return string.Join(", ", names);
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Truncate(element.GetString() ?? "")}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => element.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 40), "...");
}
