using System.Device.Gpio;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// A fan tachometer on a GPIO line: the driver's event thread counts rising edges (<see cref="Callback"/>, allocation-free),
/// the control loop turns them into RPM over windows of at least <see cref="Window"/> (edges / pulses per revolution /
/// minutes). Time is passed in (sans-IO).
/// </summary>
internal sealed class FanTachometer
{
    /// <summary>Shortest window RPM is computed over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private long _edges;
    private long _windowEdges;
    private TimeSpan? _windowStart;

    /// <summary>A tachometer named <paramref name="name"/> with <paramref name="pulsesPerRevolution"/> pulses per turn.</summary>
    public FanTachometer(string name, int pulsesPerRevolution)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pulsesPerRevolution, 1);
        Name = name;
        PulsesPerRevolution = pulsesPerRevolution;
        Callback = (_, _) => Interlocked.Increment(ref _edges);
    }

    /// <summary>Name in /status and the metrics.</summary>
    public string Name { get; }

    /// <summary>Pulses per fan revolution.</summary>
    public int PulsesPerRevolution { get; }

    /// <summary>The edge callback to register for rising edges (one delegate, made once).</summary>
    public PinChangeEventHandler Callback { get; }

    /// <summary>Rising edges counted since start.</summary>
    public long Edges => Interlocked.Read(ref _edges);

    /// <summary>Speed over the last complete window (0 before the first).</summary>
    public double Rpm { get; private set; }

    /// <summary>Closes the window when at least <see cref="Window"/> passed since it opened (<paramref name="now"/> monotonic).</summary>
    public void Sample(TimeSpan now)
    {
        long edges = Edges;
        if (_windowStart is not TimeSpan start || now < start)
        {
            _windowStart = now;
            _windowEdges = edges;
            return;
        }

        TimeSpan elapsed = now - start;
        if (elapsed < Window)
        {
            return;
        }

        Rpm = (edges - _windowEdges) / (double)PulsesPerRevolution / elapsed.TotalMinutes;
        _windowStart = now;
        _windowEdges = edges;
    }
}
