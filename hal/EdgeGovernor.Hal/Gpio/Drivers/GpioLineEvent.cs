using System.Buffers.Binary;
using System.Device.Gpio;
using static EdgeGovernor.Hal.Interop.GpioV2;

namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>
/// One edge read from a line request (<c>struct gpio_v2_line_event</c>, 48 bytes, native byte order):
/// <code>
///  0               8           12          16          20            24
///  +---------------+-----------+-----------+-----------+-------------+----------------+
///  | timestamp_ns  | id        | offset    | seqno     | line_seqno  | padding[6]     |
///  | u64 monotonic | 1 rising, | chip line | in the    | on this     | (zero)         |
///  |               | 2 falling |           | request   | line        |                |
///  +---------------+-----------+-----------+-----------+-------------+----------------+
/// </code>
/// <see cref="LineSequence"/> counts every edge the kernel saw on the line since the request (from 1), also those lost when
/// its buffer overflowed: a gap between two events is the number dropped.
/// </summary>
public readonly record struct GpioLineEvent(int Offset, PinEventTypes Edge, ulong TimestampNs, uint Sequence, uint LineSequence)
{
    /// <summary>Bytes per event.</summary>
    public const int Size = 48;

    /// <summary>Decodes one event; false for a short span, an id other than rising/falling, or an offset past <paramref name="lines"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, int lines, out GpioLineEvent lineEvent)
    {
        lineEvent = default;
        if (source.Length < Size)
        {
            return false;
        }

        uint id = Native32(source[8..]);
        uint offset = Native32(source[12..]);
        if ((id != GPIO_V2_LINE_EVENT_RISING_EDGE && id != GPIO_V2_LINE_EVENT_FALLING_EDGE) || offset >= (uint)lines)
        {
            return false;
        }

        ulong timestamp = BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(source) : BinaryPrimitives.ReadUInt64BigEndian(source);
        lineEvent = new GpioLineEvent(
            (int)offset,
            id == GPIO_V2_LINE_EVENT_RISING_EDGE ? PinEventTypes.Rising : PinEventTypes.Falling,
            timestamp,
            Native32(source[16..]),
            Native32(source[20..]));
        return true;
    }

    private static uint Native32(ReadOnlySpan<byte> s) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
}
