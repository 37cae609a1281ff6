using EdgeGovernor.Hal.Gpio.Drivers;

namespace EdgeGovernor.Hal.Tests.Gpio.Drivers;

/// <summary>
/// The character device driver where no /dev/gpiochip exists: its open and ioctl calls reach the kernel
/// through LibraryImport, and the kernel's refusals come back as typed errors.
/// </summary>
public sealed class CharDeviceGpioDriverTests
{
    [Fact]
    public void A_missing_chip_is_Missing()
    {
        HalException e = Assert.Throws<HalException>(() => new CharDeviceGpioDriver("/dev/gpiochip-does-not-exist"));
        Assert.Equal(HalErrorKind.Missing, e.Kind);
        Assert.Equal(2, e.Errno);
        Assert.Contains("/dev/gpiochip-does-not-exist", e.Message);
    }

    [Fact]
    public void A_device_that_is_not_a_gpio_chip_refuses_the_chip_info_ioctl()
    {
        // /dev/null has no ioctls: GPIO_GET_CHIPINFO_IOCTL reaches the kernel and comes back ENOTTY.
        HalException e = Assert.Throws<HalException>(() => new CharDeviceGpioDriver("/dev/null"));
        Assert.True(e.Kind == HalErrorKind.Rejected && e.Errno == 25, e.Message);
        Assert.Contains("GPIO_GET_CHIPINFO_IOCTL", e.Message);
    }

    [Fact]
    public void A_consumer_name_longer_than_the_uapi_field_is_refused()
    {
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => new CharDeviceGpioDriver("/dev/null", new string('c', 32))).Kind);
    }
}
