using EdgeGovernor.Firmware.Configuration;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>Runs one board: sockets, protocol node, price feed, control loop, HTTP, systemd.</summary>
public static class NodeHost
{
    /// <summary>Runs until SIGTERM/SIGINT; returns the process exit code.</summary>
    public static int RunUntilStopped(FirmwareConfig config, TextWriter stderr)
    {
        stderr.WriteLine($"edgegov: configuration of node {config.NodeId} is valid; the cluster runtime is not wired in this build yet");
        return Program.ExitFailure;
    }
}
