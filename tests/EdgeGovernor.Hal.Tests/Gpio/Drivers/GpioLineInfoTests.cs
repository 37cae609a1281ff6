using System.Device.Gpio;
using EdgeGovernor.Hal.Gpio.Drivers;
using EdgeGovernor.Hal.Interop;
using static EdgeGovernor.Hal.Interop.GpioV2;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Tests.Gpio.Drivers;

/// <summary>
/// Line info as the kernel fills it (<c>struct gpio_v2_line_info</c>, <c>gpio_v2_line_info_changed</c>): decoded, the USED
/// flag refused before a request with chip, line and consumer named; EPERM from a write turned into a clear error.
/// </summary>
public sealed unsafe class GpioLineInfoTests
{
    private static gpio_v2_line_info Info(uint offset, string name, string consumer, ulong flags, uint debounceUs = 0)
    {
        gpio_v2_line_info info = default;
        info.offset = offset;
        info.flags = flags;
        for (int i = 0; i < name.Length; i++)
        {
            info.name[i] = (byte)name[i];
        }

        for (int i = 0; i < consumer.Length; i++)
        {
            info.consumer[i] = (byte)consumer[i];
        }

        if (debounceUs != 0)
        {
            info.num_attrs = 1;
            info.attrs[0].id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
            info.attrs[0].debounce_period_us = debounceUs;
        }

        return info;
    }

    [Fact]
    public void Flags_names_and_debounce_decode()
    {
        GpioLineInfo i = GpioLineInfo.From(Info(6, "ALARM", "edgegov", GPIO_V2_LINE_FLAG_USED | GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_UP
            | GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING, debounceUs: 5_000));
        Assert.Equal(new GpioLineInfo(6, "ALARM", "edgegov", true, false, false, GpioBias.PullUp, GpioDrive.PushPull, PinEventTypes.Rising | PinEventTypes.Falling, 5_000), i);
        Assert.Equal(PinMode.InputPullUp, i.Mode);
        GpioLineInfo o = GpioLineInfo.From(Info(1, "", "", GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN | GPIO_V2_LINE_FLAG_ACTIVE_LOW));
        Assert.Equal((PinMode.Output, GpioDrive.OpenDrain, true, false), (o.Mode, o.Drive, o.ActiveLow, o.IsUsed));
        Assert.Equal(PinMode.InputPullDown, GpioLineInfo.From(Info(1, "", "", GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN)).Mode);
        Assert.Equal(GpioBias.Disabled, GpioLineInfo.From(Info(1, "", "", GPIO_V2_LINE_FLAG_BIAS_DISABLED)).Bias);
    }

    [Fact]
    public void A_name_filling_all_32_bytes_is_read_without_running_past_the_field()
    {
        GpioLineInfo i = GpioLineInfo.From(Info(0, new string('n', 32), "c", 0));
        Assert.Equal(new string('n', 32), i.Name);
        Assert.Equal("c", i.Consumer);
    }

    [Fact]
    public void A_used_line_is_refused_naming_chip_line_and_consumer()
    {
        GpioLineInfo used = GpioLineInfo.From(Info(4, "PDU4", "gpio-keys", GPIO_V2_LINE_FLAG_USED | GPIO_V2_LINE_FLAG_INPUT));
        HalException e = Assert.Throws<HalException>(() => CharDeviceGpioDriver.ThrowIfUsed(used, "/dev/gpiochip2"));
        Assert.Equal((HalErrorKind.Busy, LibC.EBUSY, "/dev/gpiochip2:4"), (e.Kind, e.Errno, e.Target));
        Assert.Equal("line 4 (PDU4) of /dev/gpiochip2 is in use by consumer 'gpio-keys': release it there first", e.Message);
        GpioLineInfo anonymous = GpioLineInfo.From(Info(2, "", "", GPIO_V2_LINE_FLAG_USED));
        Assert.Contains("an unnamed consumer", Assert.Throws<HalException>(() => CharDeviceGpioDriver.ThrowIfUsed(anonymous, "/dev/gpiochip2")).Message);
        CharDeviceGpioDriver.ThrowIfUsed(GpioLineInfo.From(Info(3, "", "", GPIO_V2_LINE_FLAG_INPUT)), "/dev/gpiochip2"); // free: no throw
    }

    [Fact]
    public void EPERM_on_a_write_names_the_input_line()
    {
        HalException e = CharDeviceGpioDriver.WriteRefused(LibC.EPERM, "/dev/gpiochip1", 7);
        Assert.Equal((HalErrorKind.Rejected, LibC.EPERM, "/dev/gpiochip1:7"), (e.Kind, e.Errno, e.Target));
        Assert.Equal("line 7 of /dev/gpiochip1 is an input: the kernel refused to drive it (EPERM); set it to Output first", e.Message);
        Assert.Equal(HalErrorKind.IoError, CharDeviceGpioDriver.WriteRefused(LibC.EIO, "/dev/gpiochip1", 7).Kind);
    }

    [Fact]
    public void A_line_info_change_decodes_and_an_unknown_type_is_refused()
    {
        gpio_v2_line_info_changed raw = default;
        raw.info = Info(3, "FAN", "other", GPIO_V2_LINE_FLAG_USED | GPIO_V2_LINE_FLAG_OUTPUT);
        raw.timestamp_ns = 42;
        raw.event_type = GPIO_V2_LINE_CHANGED_REQUESTED;
        var bytes = new ReadOnlySpan<byte>(&raw, sizeof(gpio_v2_line_info_changed));
        Assert.True(GpioLineInfoChange.TryRead(bytes, out GpioLineInfoChange change));
        Assert.Equal((GpioLineChangeKind.Requested, 42UL, "other", 3), (change.Kind, change.TimestampNs, change.Info.Consumer, change.Info.Offset));
        Assert.False(GpioLineInfoChange.TryRead(bytes[..^1], out _));
        raw.event_type = 4;
        Assert.False(GpioLineInfoChange.TryRead(new ReadOnlySpan<byte>(&raw, sizeof(gpio_v2_line_info_changed)), out _));
    }
}
