using System.Device.Gpio;
using EdgeGovernor.Hal.Gpio.Drivers;
using static EdgeGovernor.Hal.Interop.GpioV2;

namespace EdgeGovernor.Hal.Tests.Gpio.Drivers;

/// <summary>The <c>gpio_v2_line_config</c> the driver hands to <c>GPIO_V2_LINE_SET_CONFIG_IOCTL</c>, and what it refuses first.</summary>
public sealed class GpioLineConfigTests
{
    private static gpio_v2_line_config Build(PinMode mode, PinValue? initial = null, GpioLineOptions? options = null, PinEventTypes edges = PinEventTypes.None)
    {
        gpio_v2_line_config config = default;
        GpioLineConfig.Build(ref config, mode, initial, options ?? GpioLineOptions.Default, edges, "/dev/gpiochip9:4");
        return config;
    }

    [Fact]
    public void An_output_carries_its_initial_value_and_drive()
    {
        gpio_v2_line_config c = Build(PinMode.Output, PinValue.High, new GpioLineOptions(Drive: GpioDrive.OpenDrain));
        Assert.Equal(GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN, c.flags);
        Assert.Equal(1u, c.num_attrs);
        Assert.Equal((GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 1UL, 1UL), (c.attrs[0].attr.id, c.attrs[0].attr.values, c.attrs[0].mask));
        Assert.Equal(GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_OPEN_SOURCE, Build(PinMode.Output, null, new GpioLineOptions(Drive: GpioDrive.OpenSource)).flags);
    }

    [Fact]
    public void An_input_carries_bias_edges_and_debounce()
    {
        gpio_v2_line_config c = Build(PinMode.InputPullUp, null, new GpioLineOptions(Debounce: TimeSpan.FromMilliseconds(20)), PinEventTypes.Rising | PinEventTypes.Falling);
        Assert.Equal(GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_UP | GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING, c.flags);
        Assert.Equal(1u, c.num_attrs);
        Assert.Equal((GPIO_V2_LINE_ATTR_ID_DEBOUNCE, 20_000u), (c.attrs[0].attr.id, c.attrs[0].attr.debounce_period_us));
        Assert.Equal(GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_BIAS_DISABLED, Build(PinMode.Input, null, new GpioLineOptions(GpioBias.Disabled)).flags);
        Assert.Equal(GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN | GPIO_V2_LINE_FLAG_EDGE_FALLING, Build(PinMode.InputPullDown, edges: PinEventTypes.Falling).flags);
        Assert.Equal(0u, Build(PinMode.Input).num_attrs);
    }

    [Fact]
    public void What_the_kernel_would_refuse_is_refused_first_naming_the_line()
    {
        HalException e = Assert.Throws<HalException>(() => Build(PinMode.Output, edges: PinEventTypes.Rising));
        Assert.Equal(HalErrorKind.OutOfRange, e.Kind);
        Assert.Contains("/dev/gpiochip9:4", e.Message);
        Assert.Contains("edge", Assert.Throws<HalException>(() => Build(PinMode.Output, edges: PinEventTypes.Falling)).Message);
        Assert.Contains("needs an output", Assert.Throws<HalException>(() => Build(PinMode.Input, null, new GpioLineOptions(Drive: GpioDrive.OpenDrain))).Message);
        Assert.Contains("debounce needs an input", Assert.Throws<HalException>(() => Build(PinMode.Output, null, new GpioLineOptions(Debounce: TimeSpan.FromMilliseconds(1)))).Message);
        Assert.Contains("contradicts", Assert.Throws<HalException>(() => Build(PinMode.InputPullUp, null, new GpioLineOptions(GpioBias.PullDown))).Message);
        Assert.Contains("outside 0..1000 ms", Assert.Throws<HalException>(() => Build(PinMode.Input, null, new GpioLineOptions(Debounce: TimeSpan.FromSeconds(2)))).Message);
        Assert.Throws<HalException>(() => Build(PinMode.Input, null, new GpioLineOptions(Debounce: TimeSpan.FromMilliseconds(-1))));
    }
}
