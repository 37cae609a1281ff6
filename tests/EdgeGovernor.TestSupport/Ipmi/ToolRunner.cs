using System.Diagnostics;

namespace EdgeGovernor.TestSupport.Ipmi;

/// <summary>Runs the IPMI command-line tools (ipmitool, ipmi-dcmi, gcc, kill) for the real-peer harnesses.</summary>
public static class ToolRunner
{
    /// <summary>Runs <paramref name="file"/> (hang guard 60 s) and returns its standard output; throws when it exits non-zero.</summary>
    public static async Task<string> RunAsync(string file, string[] args, (string Name, string Value)? env = null)
    {
        ProcessStartInfo psi = new(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (env is { } e)
        {
            psi.Environment[e.Name] = e.Value;
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException(file + " did not start");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        using CancellationTokenSource guard = new(TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within 60 s");
        }

        string output = await stdout;
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {output}{await stderr}");
        }

        return output;
    }
}
