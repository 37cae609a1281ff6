using System.Device.Gpio;
using static EdgeGovernor.Hal.Interop.GpioV2;

namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>
/// What the kernel reports about one line (<c>GPIO_V2_GET_LINEINFO_IOCTL</c>, <c>struct gpio_v2_line_info</c>): its
/// name, whether it is in use and by which consumer, direction, bias, drive, edge detection and debounce.
/// </summary>
public readonly record struct GpioLineInfo(
    int Offset,
    string Name,
    string Consumer,
    bool IsUsed,
    bool IsOutput,
    bool ActiveLow,
    GpioBias Bias,
    GpioDrive Drive,
    PinEventTypes Edges,
    uint DebounceMicroseconds)
{
    /// <summary>The System.Device.Gpio mode this line is in now (input with its pull, or output).</summary>
    public PinMode Mode => IsOutput ? PinMode.Output : Bias switch
    {
        GpioBias.PullUp => PinMode.InputPullUp,
        GpioBias.PullDown => PinMode.InputPullDown,
        _ => PinMode.Input,
    };

    /// <summary>Decodes the kernel's struct; names are NUL-terminated within their 32 bytes.</summary>
    internal static unsafe GpioLineInfo From(in gpio_v2_line_info info)
    {
        ulong f = info.flags;
        uint debounce = 0;
        uint count = Math.Min(info.num_attrs, (uint)GPIO_V2_LINE_NUM_ATTRS_MAX);
        for (int i = 0; i < count; i++)
        {
            if (info.attrs[i].id == GPIO_V2_LINE_ATTR_ID_DEBOUNCE)
            {
                debounce = info.attrs[i].debounce_period_us;
            }
        }

        fixed (byte* name = info.name, consumer = info.consumer)
        {
            return new GpioLineInfo(
                (int)info.offset,
                CString(name),
                CString(consumer),
                (f & GPIO_V2_LINE_FLAG_USED) != 0,
                (f & GPIO_V2_LINE_FLAG_OUTPUT) != 0,
                (f & GPIO_V2_LINE_FLAG_ACTIVE_LOW) != 0,
                (f & GPIO_V2_LINE_FLAG_BIAS_PULL_UP) != 0 ? GpioBias.PullUp
                    : (f & GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN) != 0 ? GpioBias.PullDown
                    : (f & GPIO_V2_LINE_FLAG_BIAS_DISABLED) != 0 ? GpioBias.Disabled : GpioBias.AsIs,
                (f & GPIO_V2_LINE_FLAG_OPEN_DRAIN) != 0 ? GpioDrive.OpenDrain
                    : (f & GPIO_V2_LINE_FLAG_OPEN_SOURCE) != 0 ? GpioDrive.OpenSource : GpioDrive.PushPull,
                ((f & GPIO_V2_LINE_FLAG_EDGE_RISING) != 0 ? PinEventTypes.Rising : PinEventTypes.None)
                    | ((f & GPIO_V2_LINE_FLAG_EDGE_FALLING) != 0 ? PinEventTypes.Falling : PinEventTypes.None),
                debounce);
        }
    }

    private static unsafe string CString(byte* field)
    {
        var span = new ReadOnlySpan<byte>(field, GPIO_MAX_NAME_SIZE);
        int end = span.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}
