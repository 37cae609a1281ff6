using EdgeGovernor.Firmware.Cli;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Hosting;

namespace EdgeGovernor.Firmware;

/// <summary>The <c>edgegov</c> process: parses the command line and runs the command.</summary>
internal static class Program
{
    /// <summary>Exit code for success.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code for a failure at run time.</summary>
    public const int ExitFailure = 1;

    /// <summary>Exit code for a bad command line or configuration.</summary>
    public const int ExitUsage = 2;

    /// <summary>Entry point.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs a command line with the given output streams (tests call this directly).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        CliCommand command;
        try
        {
            command = CommandLine.Parse(args);
        }
        catch (CliException e)
        {
            stderr.WriteLine($"edgegov: {e.Message}");
            return ExitUsage;
        }

        if (command is not HelpCommand && NativeDependencies.MissingLibssl() is string missing)
        {
            stderr.WriteLine($"edgegov: {missing}");
            return NativeDependencies.ExitMissingDependency;
        }

        switch (command)
        {
            case HelpCommand:
                stdout.WriteLine(CommandLine.Usage);
                return ExitOk;
            case RunCommand run:
                {
                    ConfigLoadResult loaded = ConfigLoader.Load(run.ConfigPath);
                    if (!loaded.IsValid)
                    {
                        stderr.WriteLine($"edgegov: configuration '{run.ConfigPath}' is invalid ({loaded.Errors.Count} problem{(loaded.Errors.Count == 1 ? "" : "s")}):");
                        foreach (ConfigError error in loaded.Errors)
                        {
                            stderr.WriteLine($"  {error}");
                        }
                        return ExitUsage;
                    }
                    return NodeHost.RunUntilStopped(loaded.Config!, stderr);
                }
            case StatusCommand status:
                return StatusClient.Print(status, stdout, stderr);
            case HwCommand hw:
                return HwRunner.Run(hw, stdout, stderr);
            case KeygenCommand keygen:
                return keygen.Run(stdout, stderr);
            case DemoCommand demo:
                return Demo.DemoRunner.Run(demo, stdout, stderr);
            default:
                stderr.WriteLine("edgegov: internal error: unhandled command");
                return ExitFailure;
        }
    }
}
