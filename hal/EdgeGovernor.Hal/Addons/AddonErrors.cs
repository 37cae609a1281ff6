using System.Globalization;

namespace EdgeGovernor.Hal.Addons;

/// <summary>
/// Turns what an Iot.Device binding throws into a <see cref="HalException"/> naming the device (<c>i2c-1@0x20</c>): a
/// <see cref="HalException"/> from <see cref="I2c.LinuxI2cDevice"/> already names it and passes through; an I/O error
/// of another <see cref="System.Device.I2c.I2cDevice"/> becomes <see cref="HalErrorKind.IoError"/>, a timeout
/// <see cref="HalErrorKind.Busy"/>, anything else the binding refuses (a wrong chip id, a CRC mismatch)
/// <see cref="HalErrorKind.Garbage"/>.
/// </summary>
internal static class AddonErrors
{
    public static HalException Wrap(Exception e, string target, string operation) => e switch
    {
        HalException h => h,
        TimeoutException => new HalException(HalErrorKind.Busy, $"{operation} {target} timed out: {e.Message}", target, 0, e),
        IOException => new HalException(HalErrorKind.IoError, $"{operation} {target} failed: {e.Message}", target, 0, e),
        _ => new HalException(HalErrorKind.Garbage, $"{operation} {target}: the device answered with something the chip does not send ({e.GetType().Name}: {e.Message})", target, 0, e),
    };

    /// <summary>A reading outside the chip's physical range: the bus or the chip is faulty, the value is not used.</summary>
    public static HalException OutOfPhysicalRange(string target, string what, double value, double min, double max) =>
        new(HalErrorKind.Garbage,
            string.Create(CultureInfo.InvariantCulture, $"{target}: {what} {value:G6} is outside what the chip can measure ({min:G6}..{max:G6}); reading refused"),
            target);
}
