using EdgeGovernor.Firmware.Cli;

namespace EdgeGovernor.Firmware.Demo;

/// <summary><c>edgegov demo</c>: a local cluster of node processes on loopback multicast.</summary>
public static class DemoRunner
{
    /// <summary>Runs the demo; returns the process exit code.</summary>
    public static int Run(DemoCommand command, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("edgegov: demo is not available in this build yet (needs the cluster runtime)");
        return Program.ExitFailure;
    }
}
