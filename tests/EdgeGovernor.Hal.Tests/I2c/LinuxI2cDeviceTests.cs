using EdgeGovernor.Hal.I2c;

namespace EdgeGovernor.Hal.Tests.I2c;

/// <summary>The i2c-dev device's checks that need no bus (the transfers run on the emulated arm64 board: tools/board).</summary>
public sealed class LinuxI2cDeviceTests
{
    [Theory]
    [InlineData(0, 0x02)]
    [InlineData(0, 0x78)]
    [InlineData(-1, 0x20)]
    [InlineData(1024, 0x20)]
    public void Reserved_addresses_and_impossible_buses_are_refused(int bus, int address) =>
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => new LinuxI2cDevice(bus, address)).Kind);

    [Fact]
    public void A_bus_that_does_not_exist_is_Missing_and_names_bus_address_and_device()
    {
        HalException e = Assert.Throws<HalException>(() => new LinuxI2cDevice(1000, 0x48));
        Assert.Equal(HalErrorKind.Missing, e.Kind);
        Assert.Equal("i2c-1000@0x48", e.Target);
        Assert.Contains("/dev/i2c-1000", e.Message);
        Assert.Equal(2, e.Errno);
    }

    [Fact]
    public void A_file_that_is_not_an_i2c_adapter_is_Rejected_by_the_functionality_ioctl()
    {
        HalException e = Assert.Throws<HalException>(() => new LinuxI2cDevice(1, 0x48, devicePath: "/dev/null"));
        Assert.Equal(HalErrorKind.Rejected, e.Kind);  // ENOTTY
        Assert.Contains("I2C_FUNCS", e.Message);
    }
}
