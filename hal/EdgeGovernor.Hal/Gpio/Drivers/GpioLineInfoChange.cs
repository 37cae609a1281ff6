using System.Runtime.InteropServices;
using static EdgeGovernor.Hal.Interop.GpioV2;

namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>
/// One <c>struct gpio_v2_line_info_changed</c> read from the chip after <c>GPIO_V2_GET_LINEINFO_WATCH_IOCTL</c>
/// (byte layout in <see cref="gpio_v2_line_info_changed"/>): the line's new info, why, and when (CLOCK_MONOTONIC, ns).
/// </summary>
public readonly record struct GpioLineInfoChange(GpioLineInfo Info, GpioLineChangeKind Kind, ulong TimestampNs)
{
    /// <summary>Size of one record on the wire (288 bytes on every architecture).</summary>
    public static unsafe int Size => sizeof(gpio_v2_line_info_changed);

    /// <summary>Decodes one record; false when the span is short or the change type is not one the uAPI defines.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out GpioLineInfoChange change)
    {
        change = default;
        if (source.Length < Size)
        {
            return false;
        }

        gpio_v2_line_info_changed raw = MemoryMarshal.Read<gpio_v2_line_info_changed>(source);
        if (raw.event_type is < GPIO_V2_LINE_CHANGED_REQUESTED or > GPIO_V2_LINE_CHANGED_CONFIG)
        {
            return false;
        }

        change = new GpioLineInfoChange(GpioLineInfo.From(raw.info), (GpioLineChangeKind)raw.event_type, raw.timestamp_ns);
        return true;
    }
}
