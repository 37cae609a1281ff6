using System.Buffers.Binary;
using System.Device.Gpio;
using EdgeGovernor.Hal.Gpio.Drivers;
using EdgeGovernor.Hal.Interop;
using EdgeGovernor.TestSupport;

namespace EdgeGovernor.Hal.Tests.Gpio.Drivers;

/// <summary>
/// Edge events as the kernel writes them (<c>struct gpio_v2_line_event</c>, 48 bytes) decoded and delivered by a line's
/// state: callbacks of the right edge, waiters woken, lost edges counted from <c>line_seqno</c>, nothing allocated.
/// </summary>
public sealed class GpioLineEventTests
{
    internal static byte[] Event(uint id, uint offset, uint lineSeqno, ulong timestamp = 1_000, uint seqno = 1)
    {
        byte[] b = new byte[GpioLineEvent.Size];
        BinaryPrimitives.WriteUInt64LittleEndian(b, timestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), id);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), offset);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), seqno);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), lineSeqno);
        return b;
    }

    [Fact]
    public void An_event_decodes_field_by_field()
    {
        Assert.True(GpioLineEvent.TryRead(Event(1, 5, 9, timestamp: 123_456_789_012, seqno: 17), 8, out GpioLineEvent e));
        Assert.Equal(new GpioLineEvent(5, PinEventTypes.Rising, 123_456_789_012, 17, 9), e);
        Assert.True(GpioLineEvent.TryRead(Event(2, 0, 1), 8, out e));
        Assert.Equal(PinEventTypes.Falling, e.Edge);
    }

    [Theory]
    [InlineData(0u, 1u)] // id 0: not an edge the uAPI defines
    [InlineData(3u, 1u)]
    [InlineData(1u, 8u)] // offset past the chip's 8 lines
    public void An_event_with_an_unknown_id_or_offset_is_refused(uint id, uint offset)
    {
        Assert.False(GpioLineEvent.TryRead(Event(id, offset, 1), 8, out _));
    }

    [Fact]
    public void A_short_read_is_refused()
    {
        Assert.False(GpioLineEvent.TryRead(Event(1, 1, 1).AsSpan(0, GpioLineEvent.Size - 1), 8, out _));
    }

    [Fact]
    public void Callbacks_get_their_edge_and_gaps_in_line_seqno_count_as_dropped()
    {
        var state = new GpioLineState(3, new SafeGpioLineRequestHandle(-1), PinMode.Input, this, new Lock());
        int rising = 0, falling = 0;
        state.Rising = [(_, e) => { Assert.Equal((3, PinEventTypes.Rising), (e.PinNumber, e.ChangeType)); rising++; }];
        state.Falling = [(_, e) => { Assert.Equal(PinEventTypes.Falling, e.ChangeType); falling++; }];
        Assert.Equal(PinEventTypes.Rising | PinEventTypes.Falling, state.WantedEdges());

        Assert.Equal(0, state.Deliver(Read(Event(1, 3, 1))));
        Assert.Equal(0, state.Deliver(Read(Event(2, 3, 2))));
        Assert.Equal(3, state.Deliver(Read(Event(1, 3, 6)))); // the kernel's buffer overflowed: edges 3..5 lost
        Assert.Equal((2, 1), (rising, falling));
    }

    [Fact]
    public void A_throwing_callback_is_counted_and_the_others_still_run()
    {
        var state = new GpioLineState(0, new SafeGpioLineRequestHandle(-1), PinMode.Input, this, new Lock());
        int ran = 0;
        state.Rising = [(_, _) => throw new InvalidOperationException("operator code"), (_, _) => ran++];
        state.Deliver(Read(Event(1, 0, 1)));
        Assert.Equal(1, ran);
        Assert.Equal(1, state.CallbackFailures);
    }

    [Fact]
    public void A_waiter_is_woken_by_its_edge_only()
    {
        var gate = new Lock();
        var state = new GpioLineState(2, new SafeGpioLineRequestHandle(-1), PinMode.Input, this, gate);
        var waiter = new GpioLineState.EdgeWaiter(PinEventTypes.Falling);
        state.Waiters.Add(waiter);
        Assert.Equal(PinEventTypes.Falling, state.WantedEdges());
        state.Deliver(Read(Event(1, 2, 1)));
        Assert.False(waiter.Done.IsSet);
        state.Deliver(Read(Event(2, 2, 2)));
        Assert.True(waiter.Done.IsSet);
        Assert.Equal(PinEventTypes.Falling, waiter.Result);
    }

    [Fact]
    public void Delivering_events_to_callbacks_allocates_nothing()
    {
        var state = new GpioLineState(1, new SafeGpioLineRequestHandle(-1), PinMode.Input, this, new Lock());
        long edges = 0;
        state.Rising = [(_, _) => edges++];
        state.Falling = [(_, _) => edges++];
        byte[] rising = Event(1, 1, 1), falling = Event(2, 1, 2);
        uint seq = 0;
        void Both()
        {
            BinaryPrimitives.WriteUInt32LittleEndian(rising.AsSpan(20), ++seq);
            GpioLineEvent.TryRead(rising, 8, out GpioLineEvent r);
            state.Deliver(r);
            BinaryPrimitives.WriteUInt32LittleEndian(falling.AsSpan(20), ++seq);
            GpioLineEvent.TryRead(falling, 8, out GpioLineEvent f);
            state.Deliver(f);
        }

        Both();
        AllocationAssert.NothingInSteadyState(1_000, Both);
        Assert.Equal(2 * 3_001, edges);
    }

    private static GpioLineEvent Read(byte[] bytes)
    {
        Assert.True(GpioLineEvent.TryRead(bytes, 8, out GpioLineEvent e));
        return e;
    }
}
