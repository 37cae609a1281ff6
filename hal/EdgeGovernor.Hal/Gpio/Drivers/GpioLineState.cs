using System.Device.Gpio;
using EdgeGovernor.Hal.Interop;

namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>
/// One requested line of <see cref="CharDeviceGpioDriver"/>: its request descriptor, mode, the edges in force, the
/// callbacks and <c>WaitForEvent</c> waiters, and what the kernel's sequence numbers say about lost edges. Events are
/// delivered on the chip's event thread without allocating (one cached <see cref="PinValueChangedEventArgs"/> per edge).
/// Callbacks and waiters change under the driver's lock (<paramref name="gate"/>); the event thread reads the callback
/// arrays as snapshots (copy-on-write).
/// </summary>
internal sealed class GpioLineState(int offset, SafeGpioLineRequestHandle handle, PinMode mode, object sender, Lock gate)
{
    private readonly PinValueChangedEventArgs _risingArgs = new(PinEventTypes.Rising, offset);
    private readonly PinValueChangedEventArgs _fallingArgs = new(PinEventTypes.Falling, offset);
    private long _callbackFailures;

    public int Offset { get; } = offset;

    public SafeGpioLineRequestHandle Handle { get; } = handle;

    public PinMode Mode { get; set; } = mode;

    /// <summary>True once a mode was set through SET_CONFIG (false: requested as-is, mode from the line info).</summary>
    public bool ModeSet { get; set; }

    /// <summary>The edge detection in force in the kernel.</summary>
    public PinEventTypes Edges { get; set; }

    /// <summary>True while the event loop watches <see cref="Handle"/>.</summary>
    public bool InLoop { get; set; }

    /// <summary>The kernel's <c>line_seqno</c> of the last event (0: none yet).</summary>
    public uint LastLineSequence { get; private set; }

    /// <summary>Callbacks that threw.</summary>
    public long CallbackFailures => Interlocked.Read(ref _callbackFailures);

    public PinChangeEventHandler[] Rising { get; set; } = [];

    public PinChangeEventHandler[] Falling { get; set; } = [];

    public List<EdgeWaiter> Waiters { get; } = [];

    /// <summary>The edges the callbacks and waiters want.</summary>
    public PinEventTypes WantedEdges()
    {
        PinEventTypes wanted = (Rising.Length > 0 ? PinEventTypes.Rising : PinEventTypes.None) | (Falling.Length > 0 ? PinEventTypes.Falling : PinEventTypes.None);
        foreach (EdgeWaiter w in Waiters)
        {
            wanted |= w.Types;
        }

        return wanted;
    }

    /// <summary>
    /// Wakes the waiters for the event's edge and runs its callbacks; returns how many edges the kernel dropped before it
    /// (the gap in <c>line_seqno</c>).
    /// </summary>
    public long Deliver(in GpioLineEvent e)
    {
        long dropped = LastLineSequence != 0 && e.LineSequence > LastLineSequence + 1 ? e.LineSequence - LastLineSequence - 1 : 0;
        LastLineSequence = e.LineSequence;
        lock (gate)
        {
            foreach (EdgeWaiter w in Waiters)
            {
                if ((w.Types & e.Edge) != 0 && !w.Done.IsSet)
                {
                    w.Result = e.Edge;
                    w.Done.Set();
                }
            }
        }

        PinValueChangedEventArgs args = e.Edge == PinEventTypes.Rising ? _risingArgs : _fallingArgs;
        foreach (PinChangeEventHandler callback in e.Edge == PinEventTypes.Rising ? Rising : Falling)
        {
            try
            {
                callback(sender, args);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref _callbackFailures);
            }
        }

        return dropped;
    }

    /// <summary>Wakes every waiter with no edge (the line is closing).</summary>
    public void CancelWaiters()
    {
        lock (gate)
        {
            foreach (EdgeWaiter w in Waiters)
            {
                w.Done.Set();
            }
        }
    }

    /// <summary>One <c>WaitForEvent</c> call: the edges it waits for and the first that came.</summary>
    internal sealed class EdgeWaiter(PinEventTypes types)
    {
        public PinEventTypes Types { get; } = types;

        public ManualResetEventSlim Done { get; } = new();

        public PinEventTypes Result { get; set; }
    }
}
