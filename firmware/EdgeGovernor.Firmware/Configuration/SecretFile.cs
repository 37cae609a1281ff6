using System.Text;
using Microsoft.Win32.SafeHandles;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// Reads a file holding a secret (cluster key, HTTP bearer token, password): it must be readable by its owner only
/// (mode 0600 or 0400: no group or other bits, no execute bit) and at most <see cref="MaxBytes"/> long. The mode is
/// read from the open descriptor (fstat), so the file checked is the file read. Every refusal is one sentence naming
/// the file, what it is for and its mode, under the setting's JSON path.
/// </summary>
internal static class SecretFile
{
    /// <summary>Largest secret file accepted, bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The mode bits a secret file may have: owner read and write.</summary>
    private const UnixFileMode Allowed = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Reads the secret file <paramref name="path"/> (described as <paramref name="what"/>, e.g. "key file") as UTF-8
    /// text; null, with one error under <paramref name="jsonPath"/>, when it cannot be read, is open to group or others,
    /// or is too large.
    /// </summary>
    public static string? Read(string path, string what, string jsonPath, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (!OperatingSystem.IsWindows())
            {
                UnixFileMode mode = File.GetUnixFileMode(handle);
                if (ModeProblem(mode) is { } problem)
                {
                    errors.Add(new ConfigError(jsonPath, $"{what} '{path}' has mode {Octal(mode)}: {problem}; chmod 600 '{path}' (owner edgegov)"));
                    return null;
                }
            }
            long length = RandomAccess.GetLength(handle);
            if (length > MaxBytes)
            {
                errors.Add(new ConfigError(jsonPath, $"{what} '{path}' is {length} bytes: at most {MaxBytes} are accepted"));
                return null;
            }
            byte[] content = new byte[(int)length];
            int read = 0;
            while (read < content.Length)
            {
                int n = RandomAccess.Read(handle, content.AsSpan(read), read);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            return new UTF8Encoding(false, true).GetString(content, 0, read);
        }
        catch (DecoderFallbackException)
        {
            errors.Add(new ConfigError(jsonPath, $"{what} '{path}' is not UTF-8 text"));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add(new ConfigError(jsonPath, $"cannot read {what} '{path}': {Observability.ErrorText.Describe(e)}"));
            return null;
        }
    }

    /// <summary>Why <paramref name="mode"/> is not a secret file's mode, or null when it is (0600 or 0400).</summary>
    public static string? ModeProblem(UnixFileMode mode) =>
        (mode & ~Allowed & (UnixFileMode)0b111_111_111) == 0
            ? null
            : "it must be readable by its owner only (mode 0600 or 0400), not by group or others and not executable";

    /// <summary>The permission bits of <paramref name="mode"/> as four octal digits (0644).</summary>
    public static string Octal(UnixFileMode mode) =>
        Convert.ToString((int)mode & 0b111_111_111, 8).PadLeft(4, '0');
}
