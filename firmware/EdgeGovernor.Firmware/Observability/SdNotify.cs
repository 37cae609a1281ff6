using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>
/// systemd's readiness and watchdog protocol without libsystemd: datagrams such as
/// <c>READY=1</c> and <c>WATCHDOG=1</c> sent to the Unix datagram socket named by
/// <c>$NOTIFY_SOCKET</c> (a path, or <c>@name</c> for the abstract namespace). With no
/// <c>$NOTIFY_SOCKET</c> (not started by systemd) every call is a no-op. Errors are counted,
/// never thrown: a missing supervisor must not stop the governor.
/// </summary>
internal sealed class SdNotify : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private long _errors;

    /// <summary>Reads the environment (<c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c>, <c>WATCHDOG_PID</c>).</summary>
    public static SdNotify FromEnvironment() => new(
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET"),
        Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
        Environment.GetEnvironmentVariable("WATCHDOG_PID"),
        Environment.ProcessId);

    /// <summary>Creates a notifier for the given socket path and watchdog settings.</summary>
    public SdNotify(string? notifySocket, string? watchdogUsec = null, string? watchdogPid = null, int processId = 0)
    {
        if (!string.IsNullOrEmpty(notifySocket) && (notifySocket[0] == '/' || notifySocket[0] == '@'))
        {
            string path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
            _endpoint = new UnixDomainSocketEndPoint(path);
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        }
        bool forUs = string.IsNullOrEmpty(watchdogPid)
            || (int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid == processId);
        if (forUs && ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec) && usec > 0)
        {
            WatchdogInterval = TimeSpan.FromMicroseconds(usec);
        }
    }

    /// <summary>True when a supervisor listens.</summary>
    public bool Enabled => _socket is not null;

    /// <summary>systemd's watchdog timeout, or null when the watchdog is off. Ping at half of it.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>Notifications that could not be sent.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Tells systemd that start-up is complete.</summary>
    public bool Ready(string status) => Send($"READY=1\nSTATUS={status}\nMAINPID={Environment.ProcessId}");

    /// <summary>Pets the watchdog.</summary>
    public bool Watchdog() => Send("WATCHDOG=1");

    /// <summary>Updates the status line shown by <c>systemctl status</c>.</summary>
    public bool Status(string status) => Send($"STATUS={status}");

    /// <summary>Tells systemd that the service is stopping.</summary>
    public bool Stopping() => Send("STOPPING=1");

    /// <summary>Sends one raw notification; false when disabled or failed.</summary>
    public bool Send(string message)
    {
        if (_socket is null)
        {
            return false;
        }
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), SocketFlags.None, _endpoint!);
            return true;
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _errors);
            return false;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _socket?.Dispose();
}
