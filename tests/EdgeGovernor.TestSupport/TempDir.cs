namespace EdgeGovernor.TestSupport;

/// <summary>A fresh temporary directory (<c>edgegov-test-*</c> under the system's temp directory), removed with its contents on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("edgegov-test-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> to the file <paramref name="name"/> in the directory and returns its path.</summary>
    public string File(string name, string content)
    {
        string p = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(p, content);
        return p;
    }

    /// <summary>
    /// Writes a secret file (cluster key, token, password) with mode 0600, as an operator installs one and as the firmware
    /// requires; returns its path.
    /// </summary>
    public string SecretFile(string name, string content)
    {
        string p = File(name, content);
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(p, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return p;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
