namespace EdgeGovernor.Firmware.Observability;

/// <summary>
/// journald-friendly logging: one line per event on stderr, prefixed with the syslog priority
/// (<c>&lt;6&gt;edgegov[node 3]: message</c>), which systemd turns into the journal's PRIORITY field.
/// Thread-safe. Not for hot paths: the control loop logs only on changes.
/// </summary>
internal sealed class Logger
{
    private readonly TextWriter _writer;
    private readonly object _lock = new();

    /// <summary>Creates a logger writing to <paramref name="writer"/> (stderr by default).</summary>
    public Logger(string tag, LogLevel minimum = LogLevel.Info, TextWriter? writer = null)
    {
        Tag = tag;
        Minimum = minimum;
        _writer = writer ?? Console.Error;
    }

    /// <summary>The tag after the priority, e.g. <c>edgegov[node 3]</c>.</summary>
    public string Tag { get; set; }

    /// <summary>Lines below this severity are dropped.</summary>
    public LogLevel Minimum { get; set; }

    /// <summary>Parses a configured level name (debug, info, notice, warning, error).</summary>
    public static LogLevel ParseLevel(string name) => name switch
    {
        "debug" => LogLevel.Debug,
        "notice" => LogLevel.Notice,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Info,
    };

    /// <summary>True when lines of <paramref name="level"/> are written.</summary>
    public bool IsEnabled(LogLevel level) => level <= Minimum;

    /// <summary>Writes one line (newlines in the message are replaced so one event stays one line).</summary>
    public void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }
        string line = $"<{(int)level}>{Tag}: {message.ReplaceLineEndings(" | ")}";
        lock (_lock)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    /// <summary>Logs an error.</summary>
    public void Error(string message) => Write(LogLevel.Error, message);

    /// <summary>Logs a warning.</summary>
    public void Warning(string message) => Write(LogLevel.Warning, message);

    /// <summary>Logs a notice.</summary>
    public void Notice(string message) => Write(LogLevel.Notice, message);

    /// <summary>Logs information.</summary>
    public void Info(string message) => Write(LogLevel.Info, message);

    /// <summary>Logs a debug line.</summary>
    public void Debug(string message) => Write(LogLevel.Debug, message);
}
