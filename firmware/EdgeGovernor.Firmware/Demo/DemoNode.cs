using System.Diagnostics;
using EdgeGovernor.Hal.Interop;

namespace EdgeGovernor.Firmware.Demo;

/// <summary>One node process of the demo.</summary>
internal sealed class DemoNode : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly string _logPath;
    private readonly object _lock = new();

    private DemoNode(uint id, int httpPort, Process process, StreamWriter log, string logPath)
    {
        Id = id;
        HttpPort = httpPort;
        _process = process;
        _log = log;
        _logPath = logPath;
    }

    public uint Id { get; }

    public int HttpPort { get; }

    public static DemoNode Start(uint id, string configPath, int httpPort, string logPath)
    {
        var start = new ProcessStartInfo { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgegov.dll"));
        }
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start a node process");
        var node = new DemoNode(id, httpPort, process, log, logPath);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return node;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            _log.WriteLine(line);
        }
    }

    public string[] LogLines()
    {
        lock (_lock)
        {
            _log.Flush();
            using var reader = new StreamReader(new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadToEnd().Split('\n');
        }
    }

    public void Kill() => _process.Kill();

    public void Terminate()
    {
        if (!_process.HasExited)
        {
            Libc.Terminate(_process.Id);
        }
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            _process.WaitForExit();
            return -1;
        }
        _process.WaitForExit(); // drain the output handlers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        lock (_lock)
        {
            _log.Dispose();
        }
    }
}
