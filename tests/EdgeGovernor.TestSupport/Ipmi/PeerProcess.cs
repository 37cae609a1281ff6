using System.Diagnostics;
using System.Net;
using System.Text;

namespace EdgeGovernor.TestSupport.Ipmi;

/// <summary>A BMC process of the real-peer harnesses (ipmi_sim, pyghmi): started with its output collected, probed until it answers, killed on stop.</summary>
internal sealed class PeerProcess
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>Everything the process wrote to standard output and error.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The running process's id.</summary>
    public int Id => _process?.Id ?? throw new InvalidOperationException("the BMC process is not running");

    /// <summary>Starts <paramref name="psi"/> (output redirected here) and waits until <paramref name="endPoint"/> answers.</summary>
    public async Task StartAsync(ProcessStartInfo psi, IPEndPoint endPoint, string name)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        Process p = Process.Start(psi) ?? throw new InvalidOperationException(name + " did not start");
        p.OutputDataReceived += (_, e) => Append(e.Data);
        p.ErrorDataReceived += (_, e) => Append(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _process = p;
        await BmcProbe.WaitUntilAnsweringAsync(endPoint, () => p.HasExited ? $"exited with {p.ExitCode}: {Output}" : null, name);
    }

    /// <summary>Kills the process (if it runs) and waits for it, at most 10 s.</summary>
    public void Stop()
    {
        if (_process is { } p)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
            _process = null;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
