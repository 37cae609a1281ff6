using System.Globalization;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// The cluster key file: one key per line as <c>keyId:hexsecret</c>; the first line is the
/// current key, a second line the previous one (accepted during rotation). Blank lines and lines
/// starting with <c>#</c> are ignored. The file should be readable by the service user only.
/// </summary>
internal static class KeyFile
{
    /// <summary>Shortest secret accepted, bytes.</summary>
    public const int MinSecretBytes = 16;

    /// <summary>Longest secret accepted, bytes.</summary>
    public const int MaxSecretBytes = 64;

    /// <summary>Reads and checks a key file; problems go to <paramref name="errors"/> under <paramref name="jsonPath"/>.</summary>
    public static IReadOnlyList<KeyEntry> Read(string path, string jsonPath, List<ConfigError> errors)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add(new ConfigError(jsonPath, $"cannot read key file '{path}': {e.Message}"));
            return [];
        }
        return Parse(lines, path, jsonPath, errors);
    }

    /// <summary>Parses key file lines.</summary>
    public static IReadOnlyList<KeyEntry> Parse(IReadOnlyList<string> lines, string fileName, string jsonPath, List<ConfigError> errors)
    {
        var keys = new List<KeyEntry>(2);
        int before = errors.Count;
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            string where = $"key file '{fileName}' line {i + 1}";
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: expected 'keyId:hexsecret'"));
                continue;
            }
            if (!byte.TryParse(line.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out byte keyId))
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: key id must be a number from 0 to 255"));
                continue;
            }
            byte[] secret;
            try
            {
                secret = Convert.FromHexString(line.AsSpan(colon + 1).Trim());
            }
            catch (FormatException)
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: the secret must be hexadecimal with an even number of digits"));
                continue;
            }
            if (secret.Length is < MinSecretBytes or > MaxSecretBytes)
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: the secret must be {MinSecretBytes} to {MaxSecretBytes} bytes, found {secret.Length}"));
                continue;
            }
            if (keys.Exists(k => k.KeyId == keyId))
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: key id {keyId} appears twice"));
                continue;
            }
            keys.Add(new KeyEntry(keyId, secret));
        }
        if (keys.Count == 0 && errors.Count == before)
        {
            errors.Add(new ConfigError(jsonPath, $"key file '{fileName}' holds no key"));
        }
        else if (keys.Count > 2)
        {
            errors.Add(new ConfigError(jsonPath, $"key file '{fileName}' holds {keys.Count} keys: at most 2 (current and previous)"));
        }
        return keys;
    }
}
