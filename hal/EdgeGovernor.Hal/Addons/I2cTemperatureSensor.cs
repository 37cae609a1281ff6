using System.Device.I2c;
using EdgeGovernor.Hal.Hwmon;
using Iot.Device.Lm75;
using Iot.Device.Mcp9808;
using Iot.Device.Sht3x;

namespace EdgeGovernor.Hal.Addons;

/// <summary>
/// An I2C temperature sensor (<see cref="TemperatureSensorKind"/>) as an <see cref="ITemperatureSensor"/>. The Iot.Device
/// binding opens the chip (<see cref="Lm75"/> and <see cref="Mcp9808"/> wake it, the MCP9808's manufacturer and device ids
/// are checked, <see cref="Sht3x"/> soft-resets it); the reading itself decodes the chip's register here, because the
/// bindings return it as a UnitsNet <c>Temperature</c>, whose formatting roots every UnitsNet quantity in a native AOT
/// binary (about 5 MB, BENCHMARKS.md "Board add-ons on I2C"):
/// <code>
/// LM75     register 0x00, 16 bits MSB first: bits 15..5 two's complement, 0.125 °C each (9..11 bits used by the parts)
/// MCP9808  register 0x05, 16 bits MSB first: bits 15..13 alert flags, bit 12 sign, bits 11..0 in 1/16 °C (sign: -256 °C)
/// SHT3x    command 0x2400 (single shot, high repeatability, no clock stretching), then after 15.5 ms a 6-byte frame:
///          T msb, T lsb, CRC-8, RH msb, RH lsb, CRC-8 (polynomial 0x31, init 0xFF); T = -45 + 175 · raw / 65535 °C
/// </code>
/// A reading outside the chip's physical range (<see cref="MinCelsius"/>..<see cref="MaxCelsius"/>) is refused with
/// <see cref="HalErrorKind.Garbage"/> (a stuck bus reads 0xFF..: -0.5 °C on an LM75 is in range, but 255.9 °C on an
/// MCP9808 is not), as is an SHT3x frame with a wrong CRC; bus errors are <see cref="HalException"/>s naming the device.
/// Reading allocates nothing.
/// </summary>
public sealed class I2cTemperatureSensor : ITemperatureSensor, IDisposable
{
    private const byte Lm75Temperature = 0x00;
    private const byte Mcp9808Ambient = 0x05;
    private const int Sht3xMeasurementMs = 16;

    private readonly I2cDevice _device;
    private readonly IDisposable _binding;

    private I2cTemperatureSensor(TemperatureSensorKind kind, string name, string target, I2cDevice device, IDisposable binding)
    {
        Kind = kind;
        Name = name;
        Target = target;
        _device = device;
        _binding = binding;
        (MinCelsius, MaxCelsius) = kind switch
        {
            TemperatureSensorKind.Lm75 => (-55.0, 125.0),
            _ => (-40.0, 125.0),
        };
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The chip.</summary>
    public TemperatureSensorKind Kind { get; }

    /// <summary><c>i2c-1@0x48</c>.</summary>
    public string Target { get; }

    /// <summary>Lowest temperature the chip can report.</summary>
    public double MinCelsius { get; }

    /// <summary>Highest temperature the chip can report.</summary>
    public double MaxCelsius { get; }

    /// <summary>Opens the sensor on <paramref name="device"/>, which it owns from now on.</summary>
    /// <exception cref="HalException">The chip does not answer, or is not the chip named (MCP9808 ids).</exception>
    public static I2cTemperatureSensor Open(TemperatureSensorKind kind, I2cDevice device, string name, string target)
    {
        ArgumentNullException.ThrowIfNull(device);
        try
        {
            IDisposable binding = kind switch
            {
                TemperatureSensorKind.Lm75 => new Lm75(device),
                TemperatureSensorKind.Mcp9808 => new Mcp9808(device),
                TemperatureSensorKind.Sht3x => new Sht3x(device),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            return new I2cTemperatureSensor(kind, name, target, device, binding);
        }
        catch (Exception e)
        {
            device.Dispose();
            throw AddonErrors.Wrap(e, target, $"opening {kind} at");
        }
    }

    /// <inheritdoc/>
    public int ReadMillidegreesCelsius()
    {
        double celsius;
        try
        {
            celsius = Kind switch
            {
                TemperatureSensorKind.Lm75 => ReadLm75(),
                TemperatureSensorKind.Mcp9808 => ReadMcp9808(),
                _ => ReadSht3x(),
            };
        }
        catch (Exception e)
        {
            throw AddonErrors.Wrap(e, Target, "reading the temperature of");
        }

        if (!(celsius >= MinCelsius && celsius <= MaxCelsius))
        {
            throw AddonErrors.OutOfPhysicalRange(Target, "temperature (°C)", celsius, MinCelsius, MaxCelsius);
        }

        return (int)Math.Round(celsius * 1000);
    }

    /// <summary>Disposes the binding, then the device, which the sensor owns whether or not the binding disposes it.</summary>
    public void Dispose()
    {
        _binding.Dispose();
        _device.Dispose();
    }

    private double ReadLm75()
    {
        Span<byte> word = stackalloc byte[2];
        _device.WriteRead([Lm75Temperature], word);
        return ((short)(word[0] << 8 | word[1]) >> 5) * 0.125;
    }

    private double ReadMcp9808()
    {
        Span<byte> word = stackalloc byte[2];
        _device.WriteRead([Mcp9808Ambient], word);
        int sixteenths = (word[0] & 0x0F) << 8 | word[1];
        return (word[0] & 0x10) != 0 ? sixteenths / 16.0 - 256 : sixteenths / 16.0;
    }

    private double ReadSht3x()
    {
        _device.Write([0x24, 0x00]);
        Thread.Sleep(Sht3xMeasurementMs);
        Span<byte> frame = stackalloc byte[6];
        _device.Read(frame);
        if (Crc8(frame[..2]) != frame[2] || Crc8(frame.Slice(3, 2)) != frame[5])
        {
            throw new HalException(HalErrorKind.Garbage, $"{Target}: SHT3x measurement frame with a wrong CRC; reading refused", Target);
        }

        return -45 + 175.0 * (frame[0] << 8 | frame[1]) / 65535;
    }

    private static byte Crc8(ReadOnlySpan<byte> data)
    {
        byte crc = 0xFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (byte)((crc & 0x80) != 0 ? (crc << 1) ^ 0x31 : crc << 1);
            }
        }

        return crc;
    }
}
