namespace EdgeGovernor.Simulator;

/// <summary>
/// The simulator's command line. Each verb lives in its own file under <c>Commands/</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(Console.Out);
            return args.Length == 0 ? 2 : 0;
        }

        string[] rest = args[1..];
        try
        {
            return args[0] switch
            {
                "run" => Commands.RunCommand.Execute(rest, Console.Out, Console.Error),
                "evaluate-policy" => Commands.EvaluatePolicyCommand.Execute(rest, Console.Out, Console.Error),
                "compare-elections" => Commands.CompareElectionsCommand.Execute(rest, Console.Out, Console.Error),
                "evaluate-contracts" => Commands.EvaluateContractsCommand.Execute(rest, Console.Out, Console.Error),
                _ => UnknownVerb(args[0]),
            };
        }
        catch (CommandLineException ex)
        {
            Console.Error.WriteLine($"edgegov-sim: {ex.Message}");
            return 2;
        }
    }

    private static int UnknownVerb(string verb)
    {
        Console.Error.WriteLine($"edgegov-sim: unknown command '{verb}'");
        PrintUsage(Console.Error);
        return 2;
    }

    private static void PrintUsage(TextWriter w)
    {
        w.WriteLine("usage: EdgeGovernor.Simulator <command> [options]");
        w.WriteLine();
        w.WriteLine("commands:");
        w.WriteLine("  run <scenario.json> [--seed N] [--json]      run a cluster scenario in virtual time");
        w.WriteLine("  evaluate-policy --prices <csv> [...]         compare power policies on a price trace");
        w.WriteLine("  compare-elections [--nodes 5,50,...] [--json] message cost of election algorithms");
        w.WriteLine("  evaluate-contracts [--racks N] [...] [--json] load contracts between racks of different owners");
    }
}
