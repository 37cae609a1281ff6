namespace EdgeGovernor.Firmware;

/// <summary>The <c>edgegov</c> process.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Out.WriteLine("usage: edgegov <run|demo|status> [options]");
            return args.Length == 0 ? 2 : 0;
        }
        Console.Error.WriteLine($"edgegov: unknown command '{args[0]}'");
        return 2;
    }
}
