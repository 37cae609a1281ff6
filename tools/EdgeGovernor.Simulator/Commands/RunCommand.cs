namespace EdgeGovernor.Simulator.Commands;

// Not built yet: the owning issue replaces this file.
internal static class RunCommand
{
    public static int Execute(string[] args, TextWriter stdout, TextWriter stderr)
    {
        _ = args;
        _ = stdout;
        stderr.WriteLine("this command is not built yet");
        return 3;
    }
}
