using System.Device.Gpio;
using System.Runtime.InteropServices;
using EdgeGovernor.Hal.Interop;
using static EdgeGovernor.Hal.Interop.GpioV2;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>
/// A System.Device.Gpio <see cref="GpioDriver"/> over the Linux GPIO character device, uAPI v2 (no libgpiod): one
/// <c>GPIO_V2_GET_LINE_IOCTL</c> request per opened pin, held by a <see cref="SafeGpioLineRequestHandle"/>.
/// <list type="bullet">
/// <item>Before requesting a line it reads its info (<c>GPIO_V2_GET_LINEINFO_IOCTL</c>): a line flagged USED is refused
/// with <see cref="HalErrorKind.Busy"/> naming chip, line and consumer.</item>
/// <item>A pin is requested with neither INPUT nor OUTPUT, which leaves direction and level as they are (a relay reads
/// what it found before driving it); <see cref="GetPinMode"/> then answers from the line info.</item>
/// <item>Modes, bias, drive (open drain/source), debounce and edge detection through <c>GPIO_V2_LINE_SET_CONFIG_IOCTL</c>
/// (<see cref="GpioLineConfig"/>); levels through <c>GPIO_V2_LINE_{GET,SET}_VALUES_IOCTL</c>, allocation-free. A write the
/// kernel refuses with EPERM (the line is an input) is a <see cref="HalErrorKind.Rejected"/> naming the line.</item>
/// <item>Edge events (<c>struct gpio_v2_line_event</c>) and line info changes (<c>GPIO_V2_GET_LINEINFO_WATCH_IOCTL</c>)
/// are read by one <see cref="GpioEventLoop"/> thread per chip, which runs the callbacks and wakes
/// <see cref="WaitForEvent"/>; it stops on <see cref="GpioDriver.Dispose()"/>.</item>
/// </list>
/// </summary>
public sealed unsafe class CharDeviceGpioDriver : GpioDriver, IGpioLineOptionsDriver
{
    /// <summary>Events the kernel buffers per line between two reads (its default is 16).</summary>
    public const int EventBufferSize = 64;

    private const uint ChipTag = uint.MaxValue - 1;
    private const int EventsPerRead = 16;
    private const int ChangesPerRead = 4;

    private readonly SafeGpioChipHandle _chip;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, GpioLineState> _lines = [];
    private readonly Dictionary<int, GpioLineOptions> _options = [];
    private readonly HashSet<int> _watched = [];
    private readonly byte[] _consumer;
    private readonly byte[] _eventBuffer = new byte[EventsPerRead * GpioLineEvent.Size];
    private readonly byte[] _changeBuffer = new byte[ChangesPerRead * 288];
    private readonly string _label;
    private GpioEventLoop? _loop;
    private long _events;
    private long _droppedEvents;
    private long _changeCallbackFailures;
    private bool _disposed;

    /// <summary>Opens <paramref name="chipPath"/>; lines are requested under the name <paramref name="consumer"/>.</summary>
    public CharDeviceGpioDriver(string chipPath = "/dev/gpiochip0", string consumer = "edgegov")
    {
        ArgumentException.ThrowIfNullOrEmpty(chipPath);
        ChipName = chipPath;
        _consumer = System.Text.Encoding.ASCII.GetBytes(consumer);
        if (_consumer.Length >= GPIO_MAX_NAME_SIZE)
        {
            ThrowHelper.ThrowOutOfRange(chipPath, $"consumer name '{consumer}' longer than {GPIO_MAX_NAME_SIZE - 1} bytes");
        }

        int fd = Libc.OpenPath(Libc.ToNativePath(chipPath), LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            ThrowHelper.ThrowErrno(-fd, "opening", chipPath);
        }

        _chip = new SafeGpioChipHandle(fd);
        gpiochip_info info = default;
        IoctlOrThrow(_chip, GPIO_GET_CHIPINFO_IOCTL, &info, "GPIO_GET_CHIPINFO_IOCTL on");
        LineCount = (int)info.lines;
        _label = System.Text.Encoding.ASCII.GetString(new ReadOnlySpan<byte>(info.label, GPIO_MAX_NAME_SIZE).TrimEnd((byte)0));
    }

    /// <summary>The chip's path, the name of its lines in logs and the state file (<c>{chip}:{line}</c>).</summary>
    public string ChipName { get; }

    /// <summary>Number of lines of the chip.</summary>
    public int LineCount { get; }

    /// <summary>Edge events read from the kernel.</summary>
    public long EventCount => Interlocked.Read(ref _events);

    /// <summary>Edges the kernel dropped because its buffer was full (gaps in <c>line_seqno</c>).</summary>
    public long DroppedEventCount => Interlocked.Read(ref _droppedEvents);

    /// <summary>Callbacks that threw (the event thread goes on; the exception is dropped).</summary>
    public long CallbackFailureCount
    {
        get
        {
            lock (_gate)
            {
                return _lines.Values.Sum(l => l.CallbackFailures) + _changeCallbackFailures;
            }
        }
    }

    /// <summary>Raised on the event thread for each change of a watched line (<see cref="WatchLineInfo"/>).</summary>
    public event Action<GpioLineInfoChange>? LineInfoChanged;

    /// <inheritdoc/>
    protected override int PinCount => LineCount;

    /// <summary>Reads the kernel's info of <paramref name="pinNumber"/> (<c>GPIO_V2_GET_LINEINFO_IOCTL</c>).</summary>
    public GpioLineInfo GetLineInfo(int pinNumber)
    {
        ValidatePin(pinNumber);
        gpio_v2_line_info info = default;
        info.offset = (uint)pinNumber;
        IoctlOrThrow(_chip, GPIO_V2_GET_LINEINFO_IOCTL, &info, $"GPIO_V2_GET_LINEINFO_IOCTL (line {pinNumber}) on");
        return GpioLineInfo.From(info);
    }

    /// <summary>
    /// Starts watching <paramref name="pinNumber"/> (<c>GPIO_V2_GET_LINEINFO_WATCH_IOCTL</c>): its requests, releases and
    /// configuration changes, by anyone, come as <see cref="LineInfoChanged"/>. Returns the info now.
    /// </summary>
    public GpioLineInfo WatchLineInfo(int pinNumber)
    {
        ValidatePin(pinNumber);
        lock (_gate)
        {
            gpio_v2_line_info info = default;
            info.offset = (uint)pinNumber;
            IoctlOrThrow(_chip, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &info, $"GPIO_V2_GET_LINEINFO_WATCH_IOCTL (line {pinNumber}) on");
            if (_watched.Count == 0)
            {
                Loop().Add(_chip, ChipTag);
            }

            _watched.Add(pinNumber);
            return GpioLineInfo.From(info);
        }
    }

    /// <summary>Stops watching <paramref name="pinNumber"/> (<c>GPIO_GET_LINEINFO_UNWATCH_IOCTL</c>).</summary>
    public void UnwatchLineInfo(int pinNumber)
    {
        lock (_gate)
        {
            if (!_watched.Remove(pinNumber))
            {
                return;
            }

            uint offset = (uint)pinNumber;
            IoctlOrThrow(_chip, GPIO_GET_LINEINFO_UNWATCH_IOCTL, &offset, $"GPIO_GET_LINEINFO_UNWATCH_IOCTL (line {pinNumber}) on");
            if (_watched.Count == 0)
            {
                _loop?.Remove(_chip);
            }
        }
    }

    /// <inheritdoc/>
    public void SetLineOptions(int pinNumber, GpioLineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidatePin(pinNumber);
        _ = GpioLineConfig.DebounceMicroseconds(options.Debounce, Target(pinNumber));
        lock (_gate)
        {
            _options[pinNumber] = options;
            if (_lines.TryGetValue(pinNumber, out GpioLineState? line) && line.ModeSet)
            {
                Apply(line, line.Mode, null, line.Edges);
            }
        }
    }

    /// <inheritdoc/>
    public override GpioChipInfo GetChipInfo() =>
        new(int.TryParse(ChipName.AsSpan(ChipName.LastIndexOf("gpiochip", StringComparison.Ordinal) + "gpiochip".Length), out int id) ? id : -1, ChipName, _label, LineCount);

    /// <inheritdoc/>
    protected override void OpenPin(int pinNumber)
    {
        ValidatePin(pinNumber);
        lock (_gate)
        {
            if (_lines.ContainsKey(pinNumber))
            {
                return;
            }

            GpioLineInfo info = GetLineInfo(pinNumber);
            ThrowIfUsed(info, ChipName);
            gpio_v2_line_request request = default;
            request.offsets[0] = (uint)pinNumber;
            request.num_lines = 1;
            request.event_buffer_size = EventBufferSize;
            for (int i = 0; i < _consumer.Length; i++)
            {
                request.consumer[i] = _consumer[i];
            }

            request.config.flags = 0; // as-is: neither input nor output
            if (Libc.Ioctl(_chip.Fd, GPIO_V2_GET_LINE_IOCTL, &request) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EBUSY)
                {
                    // Claimed between the info and the request: name who holds it now.
                    ThrowIfUsed(GetLineInfo(pinNumber), ChipName);
                }

                ThrowHelper.ThrowErrno(errno, $"GPIO_V2_GET_LINE_IOCTL (line {pinNumber}) on", ChipName);
            }

            _lines[pinNumber] = new GpioLineState(pinNumber, new SafeGpioLineRequestHandle(request.fd), info.Mode, this, _gate);
        }
    }

    /// <inheritdoc/>
    protected override void ClosePin(int pinNumber)
    {
        GpioLineState? line;
        lock (_gate)
        {
            if (!_lines.Remove(pinNumber, out line))
            {
                return;
            }

            if (line.InLoop)
            {
                _loop?.Remove(line.Handle);
            }
        }

        line.CancelWaiters();
        line.Handle.Dispose();
    }

    /// <inheritdoc/>
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    /// <inheritdoc/>
    /// <remarks>An output keeps the level the line has now (no glitch).</remarks>
    protected override void SetPinMode(int pinNumber, PinMode mode) =>
        SetPinMode(pinNumber, mode, mode == PinMode.Output ? ReadLevel(pinNumber) : PinValue.Low);

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        lock (_gate)
        {
            GpioLineState line = LineOf(pinNumber);
            if (mode == PinMode.Output && line.WantedEdges() != PinEventTypes.None)
            {
                throw new HalException(HalErrorKind.Rejected, $"{Target(pinNumber)} has edge callbacks or waiters: it cannot become an output", Target(pinNumber));
            }

            Apply(line, mode, mode == PinMode.Output ? initialValue : null, mode == PinMode.Output ? PinEventTypes.None : line.WantedEdges());
        }
    }

    /// <inheritdoc/>
    protected override PinMode GetPinMode(int pinNumber) => LineOf(pinNumber).Mode;

    /// <inheritdoc/>
    protected override PinValue Read(int pinNumber) => ReadLevel(pinNumber);

    /// <inheritdoc/>
    protected override void Write(int pinNumber, PinValue value) => WriteLevel(pinNumber, value);

    /// <inheritdoc/>
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        if (eventTypes == PinEventTypes.None)
        {
            throw new ArgumentException("wait for Rising, Falling or both", nameof(eventTypes));
        }

        var waiter = new GpioLineState.EdgeWaiter(eventTypes);
        GpioLineState line;
        lock (_gate)
        {
            line = LineOf(pinNumber);
            line.Waiters.Add(waiter);
            try
            {
                Reconfigure(line);
            }
            catch
            {
                line.Waiters.Remove(waiter);
                throw;
            }
        }

        try
        {
            waiter.Done.Wait(cancellationToken);
            return waiter.Result == PinEventTypes.None
                ? new WaitForEventResult { TimedOut = true, EventTypes = PinEventTypes.None }
                : new WaitForEventResult { TimedOut = false, EventTypes = waiter.Result };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new WaitForEventResult { TimedOut = true, EventTypes = PinEventTypes.None };
        }
        finally
        {
            lock (_gate)
            {
                line.Waiters.Remove(waiter);
                if (_lines.ContainsKey(pinNumber))
                {
                    Reconfigure(line);
                }
            }

            waiter.Done.Dispose();
        }
    }

    /// <inheritdoc/>
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (eventTypes == PinEventTypes.None)
        {
            throw new ArgumentException("register for Rising, Falling or both", nameof(eventTypes));
        }

        lock (_gate)
        {
            GpioLineState line = LineOf(pinNumber);
            PinChangeEventHandler[] rising = line.Rising, falling = line.Falling;
            if ((eventTypes & PinEventTypes.Rising) != 0)
            {
                line.Rising = [.. line.Rising, callback];
            }

            if ((eventTypes & PinEventTypes.Falling) != 0)
            {
                line.Falling = [.. line.Falling, callback];
            }

            try
            {
                Reconfigure(line);
            }
            catch
            {
                line.Rising = rising;
                line.Falling = falling;
                throw;
            }
        }
    }

    /// <inheritdoc/>
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            GpioLineState line = LineOf(pinNumber);
            line.Rising = Array.FindAll(line.Rising, c => c != callback);
            line.Falling = Array.FindAll(line.Falling, c => c != callback);
            Reconfigure(line);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            // From GpioDriver's finalizer (also after a constructor that threw): the SafeHandles close themselves.
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _loop?.Dispose();
        foreach (GpioLineState line in _lines.Values)
        {
            line.CancelWaiters();
            line.Handle.Dispose();
        }

        _lines.Clear();
        _chip.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The physical level (<c>GPIO_V2_LINE_GET_VALUES_IOCTL</c>); allocation-free.</summary>
    internal PinValue ReadLevel(int pinNumber)
    {
        gpio_v2_line_values values = default;
        values.mask = 1;
        IoctlOrThrow(LineOf(pinNumber).Handle, GPIO_V2_LINE_GET_VALUES_IOCTL, &values, "GPIO_V2_LINE_GET_VALUES_IOCTL", pinNumber);
        return (values.bits & 1) != 0 ? PinValue.High : PinValue.Low;
    }

    /// <summary>Drives the physical level (<c>GPIO_V2_LINE_SET_VALUES_IOCTL</c>); allocation-free. EPERM (an input) is <see cref="HalErrorKind.Rejected"/>.</summary>
    internal void WriteLevel(int pinNumber, PinValue value)
    {
        gpio_v2_line_values values = default;
        values.mask = 1;
        values.bits = value == PinValue.High ? 1UL : 0UL;
        SafeGpioLineRequestHandle handle = LineOf(pinNumber).Handle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Libc.Ioctl(handle.Fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &values) < 0)
            {
                throw WriteRefused(Marshal.GetLastPInvokeError(), ChipName, pinNumber);
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The error of a refused <c>GPIO_V2_LINE_SET_VALUES_IOCTL</c>: EPERM means the line is not an output.</summary>
    internal static HalException WriteRefused(int errno, string chip, int pinNumber) =>
        errno == LibC.EPERM
            ? new HalException(
                HalErrorKind.Rejected,
                $"line {pinNumber} of {chip} is an input: the kernel refused to drive it (EPERM); set it to Output first",
                $"{chip}:{pinNumber}",
                errno)
            : ThrowHelper.ErrnoException(errno, $"GPIO_V2_LINE_SET_VALUES_IOCTL (line {pinNumber}) on", chip);

    /// <summary>Refuses a line the kernel reports in use, naming chip, line and consumer.</summary>
    internal static void ThrowIfUsed(in GpioLineInfo info, string chip)
    {
        if (info.IsUsed)
        {
            string name = info.Name.Length > 0 ? $" ({info.Name})" : "";
            string consumer = info.Consumer.Length > 0 ? $"consumer '{info.Consumer}'" : "an unnamed consumer";
            throw new HalException(
                HalErrorKind.Busy,
                $"line {info.Offset}{name} of {chip} is in use by {consumer}: release it there first",
                $"{chip}:{info.Offset}",
                LibC.EBUSY);
        }
    }

    /// <summary>Handles one batch of events of a line (the event thread; tests feed it bytes).</summary>
    internal void Dispatch(int pinNumber, ReadOnlySpan<byte> events)
    {
        GpioLineState? line;
        lock (_gate)
        {
            _lines.TryGetValue(pinNumber, out line);
        }

        while (events.Length >= GpioLineEvent.Size)
        {
            if (GpioLineEvent.TryRead(events, LineCount, out GpioLineEvent e) && line is not null && e.Offset == pinNumber)
            {
                Interlocked.Increment(ref _events);
                Interlocked.Add(ref _droppedEvents, line.Deliver(e));
            }

            events = events[GpioLineEvent.Size..];
        }
    }

    private void OnReadable(uint tag)
    {
        if (tag == ChipTag)
        {
            ReadChanges();
            return;
        }

        SafeGpioLineRequestHandle? handle;
        lock (_gate)
        {
            handle = _lines.TryGetValue((int)tag, out GpioLineState? line) ? line.Handle : null;
        }

        if (handle is null)
        {
            return;
        }

        int n = ReadFrom(handle, _eventBuffer);
        if (n > 0)
        {
            Dispatch((int)tag, _eventBuffer.AsSpan(0, n));
        }
    }

    private void ReadChanges()
    {
        int n = ReadFrom(_chip, _changeBuffer);
        for (int offset = 0; offset + GpioLineInfoChange.Size <= n; offset += GpioLineInfoChange.Size)
        {
            if (GpioLineInfoChange.TryRead(_changeBuffer.AsSpan(offset), out GpioLineInfoChange change))
            {
                try
                {
                    LineInfoChanged?.Invoke(change);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref _changeCallbackFailures);
                }
            }
        }
    }

    private static int ReadFrom(SafeHandle handle, byte[] buffer)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* b = buffer)
            {
                return (int)Libc.Read(handle, b, (nuint)buffer.Length);
            }
        }
        catch (ObjectDisposedException)
        {
            return 0; // closed while the thread was about to read it
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private void Reconfigure(GpioLineState line)
    {
        PinEventTypes wanted = line.WantedEdges();
        if (wanted == line.Edges)
        {
            return;
        }

        if (line.Mode == PinMode.Output)
        {
            throw new HalException(HalErrorKind.Rejected, $"{Target(line.Offset)} is an output: edge events need an input", Target(line.Offset));
        }

        Apply(line, line.Mode, null, wanted);
    }

    private void Apply(GpioLineState line, PinMode mode, PinValue? initialValue, PinEventTypes edges)
    {
        gpio_v2_line_config config = default;
        GpioLineConfig.Build(ref config, mode, initialValue, _options.GetValueOrDefault(line.Offset, GpioLineOptions.Default), edges, Target(line.Offset));
        IoctlOrThrow(line.Handle, GPIO_V2_LINE_SET_CONFIG_IOCTL, &config, "GPIO_V2_LINE_SET_CONFIG_IOCTL", line.Offset);
        line.Mode = mode;
        line.ModeSet = true;
        line.Edges = edges;
        if (edges != PinEventTypes.None && !line.InLoop)
        {
            Loop().Add(line.Handle, (uint)line.Offset);
            line.InLoop = true;
        }
        else if (edges == PinEventTypes.None && line.InLoop)
        {
            _loop?.Remove(line.Handle);
            line.InLoop = false;
        }
    }

    private GpioEventLoop Loop() => _loop ??= new GpioEventLoop($"gpio events {ChipName}", OnReadable);

    private GpioLineState LineOf(int pinNumber)
    {
        lock (_gate)
        {
            return _lines.TryGetValue(pinNumber, out GpioLineState? line)
                ? line
                : throw new HalException(HalErrorKind.Missing, $"line {pinNumber} of {ChipName} is not requested", Target(pinNumber));
        }
    }

    private string Target(int pinNumber) => $"{ChipName}:{pinNumber}";

    private void ValidatePin(int pinNumber)
    {
        if ((uint)pinNumber >= (uint)LineCount)
        {
            ThrowHelper.ThrowOutOfRange(ChipName, "line", pinNumber, 0, LineCount - 1);
        }
    }

    private void IoctlOrThrow(SafeGpioLineRequestHandle handle, nuint request, void* argument, string name, int pinNumber)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Libc.Ioctl(handle.Fd, request, argument) < 0)
            {
                ThrowHelper.ThrowErrno(Marshal.GetLastPInvokeError(), $"{name} (line {pinNumber}) on", ChipName);
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private void IoctlOrThrow(FileDescriptorHandle handle, nuint request, void* argument, string operation)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Libc.Ioctl(handle.Fd, request, argument) < 0)
            {
                ThrowHelper.ThrowErrno(Marshal.GetLastPInvokeError(), operation, ChipName);
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
