using System.Diagnostics;
using System.Globalization;
using EdgeGovernor.Simulator.Adapters;
using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Reporting;
using EdgeGovernor.Simulator.Scenarios;

namespace EdgeGovernor.Simulator.Commands;

/// <summary>
/// <c>run &lt;scenario.json&gt; [--seed N] [--json] [--trace FILE]</c>: runs a scenario with real
/// protocol nodes in virtual time and prints its figures. Exit code 0 when no checker found a
/// violation, 1 when one did, 2 for bad arguments or a bad scenario file.
/// </summary>
internal static class RunCommand
{
    /// <summary>The command's usage line.</summary>
    public const string Usage = "usage: run <scenario.json> [--seed N] [--json] [--trace FILE]";

    public static int Execute(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        string? file = null;
        ulong? seed = null;
        bool json = false;
        string? tracePath = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json":
                    json = true;
                    break;
                case "--seed":
                    if (i + 1 >= args.Length || !ulong.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out ulong s))
                    {
                        throw new CommandLineException("--seed needs a non-negative integer");
                    }

                    seed = s;
                    break;
                case "--trace":
                    tracePath = i + 1 < args.Length ? args[++i] : throw new CommandLineException("--trace needs a file name");
                    break;
                default:
                    if (args[i].StartsWith('-') || file is not null)
                    {
                        throw new CommandLineException($"run: unexpected argument '{args[i]}' ({Usage})");
                    }

                    file = args[i];
                    break;
            }
        }

        if (file is null)
        {
            throw new CommandLineException("run: missing scenario file ({Usage})");
        }

        Scenario scenario;
        ProtocolNodeFactory factory;
        try
        {
            scenario = ScenarioLoader.Load(file, seed);
            factory = ScenarioRuntime.CreateFactory(scenario);
        }
        catch (ScenarioException ex)
        {
            stderr.WriteLine($"edgegov-sim: {ex.Message}");
            return 2;
        }

        using StreamWriter? trace = tracePath is null ? null : new StreamWriter(tracePath);
        var simulation = new Simulation(scenario.Config, factory, ScenarioRuntime.CreateCheckers(scenario), trace);
        var wall = Stopwatch.StartNew();
        simulation.Run();
        wall.Stop();
        var report = new RunReport(scenario.Name, simulation, wall.Elapsed.TotalSeconds, factory.RetentionFloor);
        if (json)
        {
            stdout.WriteLine(report.ToJson());
        }
        else
        {
            report.WriteText(stdout);
        }

        return report.SafetyViolations == 0 ? 0 : 1;
    }
}
