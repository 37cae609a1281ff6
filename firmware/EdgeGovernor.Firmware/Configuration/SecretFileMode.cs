namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// The check that a file holding a secret is readable by its owner only (mode 0600 or 0400: no group or other bits, no
/// execute bit). Reusable for every secret file the configuration names.
/// </summary>
internal static class SecretFileMode
{
    private const UnixFileMode Allowed = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Null when <paramref name="path"/> has mode 0600 or 0400 (or the OS has no Unix modes), else the problem.</summary>
    public static string? Check(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        UnixFileMode mode = File.GetUnixFileMode(path);
        return (mode & ~Allowed) == 0 && (mode & UnixFileMode.UserRead) != 0
            ? null
            : $"'{path}' has mode {Octal(mode)}: a secret file must be readable by its owner only (chmod 600 or 400)";
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
