namespace EdgeGovernor.Fuzz;

/// <summary>
/// One scratch directory per process (on tmpfs when there is one) for the parsers that production hands a file path:
/// their targets write each input to one fixed file in it, so an execution costs one small write, not a new file.
/// Removed when the process exits.
/// </summary>
internal static class FuzzScratch
{
    private static string? _directory;

    /// <summary>The directory, created on first use.</summary>
    public static string Directory
    {
        get
        {
            if (_directory is null)
            {
                string root = System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
                string directory = Path.Combine(root, $"edgegov-fuzz-{Environment.ProcessId}");
                System.IO.Directory.CreateDirectory(directory);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(directory);
                _directory = directory;
            }
            return _directory;
        }
    }

    /// <summary>Writes <paramref name="input"/> to the scratch file <paramref name="name"/> (owner-only on Unix) and returns its path.</summary>
    public static string Write(string name, ReadOnlySpan<byte> input)
    {
        string path = Path.Combine(Directory, name);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new FileStream(path, options))
        {
            file.Write(input);
        }
        return path;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
