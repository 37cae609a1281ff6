using System.Text;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// A one-line secret in a file only its owner may read (mode 0600 or 0400: no group or other bits, no execute). The
/// secret is read here, bounded and checked, and never appears in an error message.
/// </summary>
internal static class SecretFile
{
    /// <summary>Longest secret file accepted, bytes.</summary>
    public const int MaxBytes = 4096;

    /// <summary>
    /// Reads the secret of <paramref name="path"/> (first non-blank line, trimmed); null after adding the reason to
    /// <paramref name="errors"/> under <paramref name="jsonPath"/>.
    /// </summary>
    public static string? Read(string path, string jsonPath, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add(new ConfigError(jsonPath, "must name the file holding the secret (chmod 600)"));
            return null;
        }
        byte[] bytes;
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                UnixFileMode mode = File.GetUnixFileMode(path);
                const UnixFileMode Forbidden = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.UserExecute;
                if ((mode & Forbidden) != 0)
                {
                    errors.Add(new ConfigError(jsonPath, $"'{path}' has mode {Convert.ToString((int)mode, 8)}; it must be readable by its owner only (chmod 600 or 400)"));
                    return null;
                }
            }
            var info = new FileInfo(path);
            if (info.Length > MaxBytes)
            {
                errors.Add(new ConfigError(jsonPath, $"'{path}' is {info.Length} bytes, more than the {MaxBytes} a secret file may hold"));
                return null;
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add(new ConfigError(jsonPath, $"cannot read '{path}': {e.Message}"));
            return null;
        }
        string? secret = null;
        foreach (string line in Encoding.UTF8.GetString(bytes).Split('\n'))
        {
            string t = line.Trim();
            if (t.Length > 0 && t[0] != '#')
            {
                secret = t;
                break;
            }
        }
        if (secret is null)
        {
            errors.Add(new ConfigError(jsonPath, $"'{path}' holds no secret"));
            return null;
        }
        foreach (char ch in secret)
        {
            if (ch is < '!' or > '~')
            {
                errors.Add(new ConfigError(jsonPath, $"'{path}': the secret must be printable ASCII without spaces"));
                return null;
            }
        }
        return secret;
    }
}
