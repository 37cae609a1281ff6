using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeGovernor.Hal.Interop;

/// <summary>
/// The GPIO character device uAPI v2 (<c>include/uapi/linux/gpio.h</c>). Every struct uses explicit
/// offsets: the kernel declares its 64-bit members <c>__aligned_u64</c>, so the layout is the same on
/// x86_64, arm64 and 32-bit arm, and the tests prove it against the header (compiled C for x86_64,
/// the layout rules for arm64 and arm).
/// </summary>
internal static unsafe class GpioV2
{
    internal const int GPIO_MAX_NAME_SIZE = 32;
    internal const int GPIO_V2_LINES_MAX = 64;
    internal const int GPIO_V2_LINE_NUM_ATTRS_MAX = 10;

    internal const ulong GPIO_V2_LINE_FLAG_USED = 1UL << 0;
    internal const ulong GPIO_V2_LINE_FLAG_ACTIVE_LOW = 1UL << 1;
    internal const ulong GPIO_V2_LINE_FLAG_INPUT = 1UL << 2;
    internal const ulong GPIO_V2_LINE_FLAG_OUTPUT = 1UL << 3;
    internal const ulong GPIO_V2_LINE_FLAG_EDGE_RISING = 1UL << 4;
    internal const ulong GPIO_V2_LINE_FLAG_EDGE_FALLING = 1UL << 5;
    internal const ulong GPIO_V2_LINE_FLAG_OPEN_DRAIN = 1UL << 6;
    internal const ulong GPIO_V2_LINE_FLAG_OPEN_SOURCE = 1UL << 7;
    internal const ulong GPIO_V2_LINE_FLAG_BIAS_PULL_UP = 1UL << 8;
    internal const ulong GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN = 1UL << 9;
    internal const ulong GPIO_V2_LINE_FLAG_BIAS_DISABLED = 1UL << 10;

    internal const uint GPIO_V2_LINE_ATTR_ID_FLAGS = 1;
    internal const uint GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES = 2;
    internal const uint GPIO_V2_LINE_ATTR_ID_DEBOUNCE = 3;

    internal const uint GPIO_V2_LINE_EVENT_RISING_EDGE = 1;
    internal const uint GPIO_V2_LINE_EVENT_FALLING_EDGE = 2;

    internal const uint GPIO_V2_LINE_CHANGED_REQUESTED = 1;
    internal const uint GPIO_V2_LINE_CHANGED_RELEASED = 2;
    internal const uint GPIO_V2_LINE_CHANGED_CONFIG = 3;

    private const uint GpioIoctlType = 0xB4;

    /// <summary>_IOR(0xB4, 0x01, struct gpiochip_info)</summary>
    internal static readonly nuint GPIO_GET_CHIPINFO_IOCTL = Ioctl.Encode(Ioctl.Read, GpioIoctlType, 0x01, (uint)sizeof(gpiochip_info));

    /// <summary>_IOWR(0xB4, 0x05, struct gpio_v2_line_info)</summary>
    internal static readonly nuint GPIO_V2_GET_LINEINFO_IOCTL = Ioctl.ReadWrite(GpioIoctlType, 0x05, (uint)sizeof(gpio_v2_line_info));

    /// <summary>_IOWR(0xB4, 0x06, struct gpio_v2_line_info)</summary>
    internal static readonly nuint GPIO_V2_GET_LINEINFO_WATCH_IOCTL = Ioctl.ReadWrite(GpioIoctlType, 0x06, (uint)sizeof(gpio_v2_line_info));

    /// <summary>_IOWR(0xB4, 0x0C, __u32)</summary>
    internal static readonly nuint GPIO_GET_LINEINFO_UNWATCH_IOCTL = Ioctl.ReadWrite(GpioIoctlType, 0x0C, sizeof(uint));

    /// <summary>_IOWR(0xB4, 0x07, struct gpio_v2_line_request)</summary>
    internal static readonly nuint GPIO_V2_GET_LINE_IOCTL = Ioctl.ReadWrite(GpioIoctlType, 0x07, (uint)sizeof(gpio_v2_line_request));

    /// <summary>_IOWR(0xB4, 0x0D, struct gpio_v2_line_config)</summary>
    internal static readonly nuint GPIO_V2_LINE_SET_CONFIG_IOCTL = Ioctl.ReadWrite(GpioIoctlType, 0x0D, (uint)sizeof(gpio_v2_line_config));

    /// <summary>_IOWR(0xB4, 0x0E, struct gpio_v2_line_values)</summary>
    internal static readonly nuint GPIO_V2_LINE_GET_VALUES_IOCTL = Ioctl.ReadWrite(GpioIoctlType, 0x0E, (uint)sizeof(gpio_v2_line_values));

    /// <summary>_IOWR(0xB4, 0x0F, struct gpio_v2_line_values)</summary>
    internal static readonly nuint GPIO_V2_LINE_SET_VALUES_IOCTL = Ioctl.ReadWrite(GpioIoctlType, 0x0F, (uint)sizeof(gpio_v2_line_values));

    /// <summary><c>struct gpiochip_info</c>: 68 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 68)]
    internal struct gpiochip_info
    {
        [FieldOffset(0)] public fixed byte name[GPIO_MAX_NAME_SIZE];
        [FieldOffset(32)] public fixed byte label[GPIO_MAX_NAME_SIZE];
        [FieldOffset(64)] public uint lines;
    }

    /// <summary><c>struct gpio_v2_line_values</c>: 16 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    internal struct gpio_v2_line_values
    {
        [FieldOffset(0)] public ulong bits;
        [FieldOffset(8)] public ulong mask;
    }

    /// <summary><c>struct gpio_v2_line_attribute</c>: id, padding, then a union of flags / values / debounce_period_us.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    internal struct gpio_v2_line_attribute
    {
        [FieldOffset(0)] public uint id;
        [FieldOffset(4)] public uint padding;
        [FieldOffset(8)] public ulong flags;
        [FieldOffset(8)] public ulong values;
        [FieldOffset(8)] public uint debounce_period_us;
    }

    /// <summary><c>struct gpio_v2_line_config_attribute</c>: 24 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 24)]
    internal struct gpio_v2_line_config_attribute
    {
        [FieldOffset(0)] public gpio_v2_line_attribute attr;
        [FieldOffset(16)] public ulong mask;
    }

    /// <summary>Ten config attributes in a row.</summary>
    [InlineArray(GPIO_V2_LINE_NUM_ATTRS_MAX)]
    internal struct ConfigAttributes
    {
        private gpio_v2_line_config_attribute _element0;
    }

    /// <summary><c>struct gpio_v2_line_config</c>: 272 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 272)]
    internal struct gpio_v2_line_config
    {
        [FieldOffset(0)] public ulong flags;
        [FieldOffset(8)] public uint num_attrs;
        [FieldOffset(12)] public fixed uint padding[5];
        [FieldOffset(32)] public ConfigAttributes attrs;
    }

    /// <summary><c>struct gpio_v2_line_request</c>: 592 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 592)]
    internal struct gpio_v2_line_request
    {
        [FieldOffset(0)] public fixed uint offsets[GPIO_V2_LINES_MAX];
        [FieldOffset(256)] public fixed byte consumer[GPIO_MAX_NAME_SIZE];
        [FieldOffset(288)] public gpio_v2_line_config config;
        [FieldOffset(560)] public uint num_lines;
        [FieldOffset(564)] public uint event_buffer_size;
        [FieldOffset(568)] public fixed uint padding[5];
        [FieldOffset(588)] public int fd;
    }

    /// <summary>Ten line attributes in a row (<c>gpio_v2_line_info.attrs</c>).</summary>
    [InlineArray(GPIO_V2_LINE_NUM_ATTRS_MAX)]
    internal struct LineAttributes
    {
        private gpio_v2_line_attribute _element0;
    }

    /// <summary>
    /// <c>struct gpio_v2_line_info</c>: 256 bytes, what <c>GPIO_V2_GET_LINEINFO_IOCTL</c> fills in.
    /// <code>
    ///   0 name[32]     32 consumer[32]     64 offset (u32)   68 num_attrs (u32)
    ///  72 flags (u64)  80 attrs[10] (16 each)                240 padding[4]
    /// </code>
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct gpio_v2_line_info
    {
        [FieldOffset(0)] public fixed byte name[GPIO_MAX_NAME_SIZE];
        [FieldOffset(32)] public fixed byte consumer[GPIO_MAX_NAME_SIZE];
        [FieldOffset(64)] public uint offset;
        [FieldOffset(68)] public uint num_attrs;
        [FieldOffset(72)] public ulong flags;
        [FieldOffset(80)] public LineAttributes attrs;
        [FieldOffset(240)] public fixed uint padding[4];
    }

    /// <summary>
    /// <c>struct gpio_v2_line_info_changed</c>: 288 bytes, read from the chip descriptor after
    /// <c>GPIO_V2_GET_LINEINFO_WATCH_IOCTL</c>.
    /// <code>
    ///   0 info (struct gpio_v2_line_info, 256)   256 timestamp_ns (u64)   264 event_type (u32)   268 padding[5]
    /// </code>
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 288)]
    internal struct gpio_v2_line_info_changed
    {
        [FieldOffset(0)] public gpio_v2_line_info info;
        [FieldOffset(256)] public ulong timestamp_ns;
        [FieldOffset(264)] public uint event_type;
        [FieldOffset(268)] public fixed uint padding[5];
    }

    /// <summary>
    /// <c>struct gpio_v2_line_event</c>: 48 bytes, read from a line request descriptor with edge detection.
    /// <code>
    ///   0 timestamp_ns (u64)   8 id (u32: 1 rising, 2 falling)   12 offset (u32)
    ///  16 seqno (u32)         20 line_seqno (u32)                24 padding[6]
    /// </code>
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 48)]
    internal struct gpio_v2_line_event
    {
        [FieldOffset(0)] public ulong timestamp_ns;
        [FieldOffset(8)] public uint id;
        [FieldOffset(12)] public uint offset;
        [FieldOffset(16)] public uint seqno;
        [FieldOffset(20)] public uint line_seqno;
        [FieldOffset(24)] public fixed uint padding[6];
    }
}
