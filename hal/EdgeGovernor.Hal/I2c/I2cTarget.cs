using System.Globalization;

namespace EdgeGovernor.Hal.I2c;

/// <summary>Names and bounds of an I2C device: bus 0..1023, 7-bit address 0x03..0x77 (the rest is reserved by the I2C specification).</summary>
public static class I2cTarget
{
    /// <summary>Highest bus number accepted.</summary>
    public const int MaxBus = 1023;

    /// <summary>Lowest 7-bit address that is not reserved.</summary>
    public const int MinAddress = 0x03;

    /// <summary>Highest 7-bit address that is not reserved.</summary>
    public const int MaxAddress = 0x77;

    /// <summary><c>i2c-1@0x20</c>.</summary>
    public static string Format(int bus, int address) =>
        string.Create(CultureInfo.InvariantCulture, $"i2c-{bus}@0x{address:x2}");

    /// <summary>Refuses a bus or address out of range with <see cref="HalErrorKind.OutOfRange"/>.</summary>
    public static void Validate(int bus, int address)
    {
        if (bus is < 0 or > MaxBus || address is < MinAddress or > MaxAddress)
        {
            throw new HalException(HalErrorKind.OutOfRange,
                string.Create(CultureInfo.InvariantCulture, $"I2C bus {bus} address 0x{address:x2} refused: buses 0..{MaxBus}, addresses 0x{MinAddress:x2}..0x{MaxAddress:x2}"));
        }
    }
}
