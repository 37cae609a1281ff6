using System.Runtime.InteropServices;
using EdgeGovernor.Hal.Interop;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>
/// The one thread of a GPIO chip that waits for its descriptors (line requests with edge detection, the chip while line
/// info is watched) with epoll and hands each readable one's tag to <c>onReadable</c> on that thread. Started with the
/// first descriptor, stopped by an eventfd on <see cref="Dispose"/>, which waits for the thread to end.
/// </summary>
internal sealed unsafe class GpioEventLoop : IDisposable
{
    private const uint StopTag = uint.MaxValue;
    private const int MaxReady = 16;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly FileDescriptorHandle _epoll;
    private readonly FileDescriptorHandle _stop;
    private readonly Action<uint> _onReadable;
    private readonly string _name;
    private readonly Lock _gate = new();
    private Thread? _thread;
    private bool _disposed;

    /// <summary>Creates the epoll instance and the stop eventfd; no thread yet.</summary>
    public GpioEventLoop(string name, Action<uint> onReadable)
    {
        _name = name;
        _onReadable = onReadable;
        _epoll = Open(LibC.epoll_create1(LibC.EPOLL_CLOEXEC), "epoll_create1");
        _stop = Open(LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC), "eventfd");
        Control(LibC.EPOLL_CTL_ADD, _stop, StopTag);
    }

    /// <summary>True while the thread runs.</summary>
    public bool IsRunning => _thread is { IsAlive: true };

    /// <summary>Failures of <c>epoll_wait</c> other than EINTR (the thread stops on one).</summary>
    public int WaitErrno { get; private set; }

    /// <summary>Watches <paramref name="fd"/> for input (level-triggered); starts the thread on first use.</summary>
    public void Add(SafeHandle fd, uint tag)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(tag, StopTag);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Control(LibC.EPOLL_CTL_ADD, fd, tag);
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = _name };
                _thread.Start();
            }
        }
    }

    /// <summary>Stops watching <paramref name="fd"/> (before it is closed).</summary>
    public void Remove(SafeHandle fd)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                Control(LibC.EPOLL_CTL_DEL, fd, 0);
            }
        }
    }

    /// <summary>Stops the thread (waits up to 5 s for a callback in progress) and closes the descriptors.</summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            thread = _thread;
            ulong one = 1;
            _ = Libc.Write(_stop, &one, sizeof(ulong));
        }

        if (thread is not null && thread != Thread.CurrentThread && !thread.Join(StopTimeout))
        {
            throw new HalException(HalErrorKind.Busy, $"{_name}: the event thread did not stop within {StopTimeout.TotalSeconds} s (a callback still running)");
        }

        _epoll.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        epoll_event* events = stackalloc epoll_event[MaxReady];
        while (true)
        {
            int n = Libc.EpollWait(_epoll, events, MaxReady, -1);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR)
                {
                    continue;
                }

                WaitErrno = errno;
                return;
            }

            for (int i = 0; i < n; i++)
            {
                uint tag = events[i].data.u32;
                if (tag == StopTag)
                {
                    return;
                }

                _onReadable(tag);
            }
        }
    }

    private void Control(int op, SafeHandle fd, uint tag)
    {
        if (Libc.EpollControl(_epoll, op, fd, tag) != 0)
        {
            ThrowHelper.ThrowErrno(Marshal.GetLastPInvokeError(), op == LibC.EPOLL_CTL_ADD ? "epoll_ctl(ADD) for" : "epoll_ctl(DEL) for", _name);
        }
    }

    private FileDescriptorHandle Open(int fd, string call)
    {
        if (fd < 0)
        {
            ThrowHelper.ThrowErrno(Marshal.GetLastPInvokeError(), call + " for", _name);
        }

        return new FileDescriptorHandle(fd);
    }
}
