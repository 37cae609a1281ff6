using System.Diagnostics;
using System.Globalization;
using EdgeGovernor.Hal.Tests.Support;

namespace EdgeGovernor.Hal.Tests.Interop;

/// <summary>Runs the C compilers and programs of the ABI tests (<see cref="GpioAbiTests"/>, <see cref="LibcAbiTests"/>).</summary>
internal static class NativeToolchain
{
    /// <summary>Runs <paramref name="file"/> and returns its standard output; fails the test on a non-zero exit.</summary>
    public static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), $"{file} did not finish");
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {stderr}");
        return stdout;
    }

    /// <summary>
    /// Compiles the C fixture <paramref name="fixture"/> with gcc (plus <paramref name="flags"/>), runs it and
    /// parses its "key value" lines.
    /// </summary>
    public static Dictionary<string, ulong> CompileAndRun(string fixture, string flags)
    {
        string dir = Directory.CreateTempSubdirectory("edgegov-abi-").FullName;
        try
        {
            string exe = Path.Combine(dir, Path.GetFileNameWithoutExtension(fixture));
            Run("gcc", $"-Wall -Werror {flags} -o {exe} {RepoPaths.InRepo("tests", "EdgeGovernor.Hal.Tests", "Fixtures", fixture)}");
            var values = new Dictionary<string, ulong>();
            foreach (string line in Run(exe, "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int space = line.LastIndexOf(' ');
                values[line[..space]] = ulong.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }

            return values;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>True when <paramref name="program"/> is on PATH.</summary>
    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(d => File.Exists(Path.Combine(d, program)));
}
