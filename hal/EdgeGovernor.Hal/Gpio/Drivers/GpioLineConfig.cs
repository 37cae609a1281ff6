using System.Device.Gpio;
using EdgeGovernor.Hal.Interop;
using static EdgeGovernor.Hal.Interop.GpioV2;

namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>
/// The <c>struct gpio_v2_line_config</c> of one line from its mode, options and the edges wanted: direction, bias,
/// drive and edge flags, the debounce attribute and the output value attribute. Refuses what the kernel would refuse
/// (edges or debounce on an output, open drain/source on an input, a bias that contradicts the mode) with the line named.
/// </summary>
internal static class GpioLineConfig
{
    /// <summary>Fills <paramref name="config"/> (cleared first).</summary>
    internal static void Build(ref gpio_v2_line_config config, PinMode mode, PinValue? initialValue, GpioLineOptions options, PinEventTypes edges, string target)
    {
        config = default;
        ulong flags = mode == PinMode.Output ? GPIO_V2_LINE_FLAG_OUTPUT : GPIO_V2_LINE_FLAG_INPUT;
        GpioBias bias = options.Bias;
        GpioBias fromMode = mode switch
        {
            PinMode.InputPullUp => GpioBias.PullUp,
            PinMode.InputPullDown => GpioBias.PullDown,
            _ => GpioBias.AsIs,
        };
        if (fromMode != GpioBias.AsIs)
        {
            if (bias != GpioBias.AsIs && bias != fromMode)
            {
                ThrowHelper.ThrowOutOfRange(target, $"{target}: mode {mode} contradicts the line's bias option {bias}");
            }

            bias = fromMode;
        }

        flags |= bias switch
        {
            GpioBias.PullUp => GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
            GpioBias.PullDown => GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN,
            GpioBias.Disabled => GPIO_V2_LINE_FLAG_BIAS_DISABLED,
            _ => 0,
        };
        if (options.Drive != GpioDrive.PushPull)
        {
            if (mode != PinMode.Output)
            {
                ThrowHelper.ThrowOutOfRange(target, $"{target}: drive {options.Drive} needs an output, the mode is {mode}");
            }

            flags |= options.Drive == GpioDrive.OpenDrain ? GPIO_V2_LINE_FLAG_OPEN_DRAIN : GPIO_V2_LINE_FLAG_OPEN_SOURCE;
        }

        if (edges != PinEventTypes.None)
        {
            if (mode == PinMode.Output)
            {
                ThrowHelper.ThrowOutOfRange(target, $"{target}: edge events need an input, the line is an output");
            }

            flags |= ((edges & PinEventTypes.Rising) != 0 ? GPIO_V2_LINE_FLAG_EDGE_RISING : 0)
                | ((edges & PinEventTypes.Falling) != 0 ? GPIO_V2_LINE_FLAG_EDGE_FALLING : 0);
        }

        config.flags = flags;
        uint attrs = 0;
        uint debounceUs = DebounceMicroseconds(options.Debounce, target);
        if (debounceUs != 0)
        {
            if (mode == PinMode.Output)
            {
                ThrowHelper.ThrowOutOfRange(target, $"{target}: debounce needs an input, the line is an output");
            }

            config.attrs[(int)attrs].attr.id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
            config.attrs[(int)attrs].attr.debounce_period_us = debounceUs;
            config.attrs[(int)attrs].mask = 1;
            attrs++;
        }

        if (mode == PinMode.Output && initialValue is PinValue value)
        {
            config.attrs[(int)attrs].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
            config.attrs[(int)attrs].attr.values = value == PinValue.High ? 1UL : 0UL;
            config.attrs[(int)attrs].mask = 1;
            attrs++;
        }

        config.num_attrs = attrs;
    }

    /// <summary>The debounce period in whole microseconds, refused outside 0..<see cref="GpioLineOptions.MaxDebounce"/>.</summary>
    internal static uint DebounceMicroseconds(TimeSpan debounce, string target)
    {
        if (debounce < TimeSpan.Zero || debounce > GpioLineOptions.MaxDebounce)
        {
            ThrowHelper.ThrowOutOfRange(target, $"{target}: debounce {debounce.TotalMilliseconds} ms outside 0..{GpioLineOptions.MaxDebounce.TotalMilliseconds} ms");
        }

        return (uint)(debounce.Ticks / TimeSpan.TicksPerMicrosecond);
    }
}
