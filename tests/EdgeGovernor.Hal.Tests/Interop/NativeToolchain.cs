using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EdgeGovernor.Hal.Tests.Support;

namespace EdgeGovernor.Hal.Tests.Interop;

/// <summary>Runs the C compilers and programs of the ABI tests (<see cref="GpioAbiTests"/>, <see cref="LibcAbiTests"/>, <see cref="I2cAbiTests"/>).</summary>
internal static partial class NativeToolchain
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

    /// <summary>
    /// Compiles the C fixture <paramref name="fixture"/> to assembly with <paramref name="compiler"/> (a cross compiler's
    /// code cannot run here) and reads each <c>abi_key:</c> label's 4-byte datum.
    /// </summary>
    public static Dictionary<string, ulong> CompileToAssembly(string compiler, string fixture)
    {
        string dir = Directory.CreateTempSubdirectory("edgegov-abi-").FullName;
        try
        {
            string assembly = Path.Combine(dir, Path.ChangeExtension(fixture, ".s"));
            Run(compiler, $"-Wall -Werror -S -o {assembly} {RepoPaths.InRepo("tests", "EdgeGovernor.Hal.Tests", "Fixtures", fixture)}");
            var values = new Dictionary<string, ulong>();
            foreach (Match m in Datum().Matches(File.ReadAllText(assembly)))
            {
                string directive = m.Groups[2].Value;
                values[m.Groups[1].Value] = directive is "zero" or "space"
                    ? 0
                    : ulong.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            }

            Assert.True(values.Count > 0, $"no abi_ values in the assembly of {compiler}");
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

    // "abi_key:" then ".long N" (x86-64), ".word N" (arm64, arm), or ".zero 4"/".space 4" for 0.
    [GeneratedRegex(@"^abi_(\w+):\s*\n\s*\.(long|word|4byte|zero|space)\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex Datum();
}
