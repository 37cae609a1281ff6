using System.Device.I2c;
using EdgeGovernor.Hal.Hwmon;
using Iot.Device.Lm75;
using Iot.Device.Mcp9808;
using Iot.Device.Sht3x;

namespace EdgeGovernor.Hal.Addons;

/// <summary>
/// An I2C temperature sensor (<see cref="TemperatureSensorKind"/>) as an <see cref="ITemperatureSensor"/>. A reading
/// outside the chip's physical range (<see cref="MinCelsius"/>..<see cref="MaxCelsius"/>) is refused with
/// <see cref="HalErrorKind.Garbage"/> (a stuck bus reads 0xFF..: -0.5 °C on an LM75 is in range, but 255.9 °C on an MCP9808
/// is not); bus errors are <see cref="HalException"/>s naming the device.
/// </summary>
public sealed class I2cTemperatureSensor : ITemperatureSensor, IDisposable
{
    private readonly Func<double> _readCelsius;
    private readonly IDisposable _binding;

    private I2cTemperatureSensor(TemperatureSensorKind kind, string name, string target, Func<double> readCelsius, IDisposable binding)
    {
        Kind = kind;
        Name = name;
        Target = target;
        _readCelsius = readCelsius;
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
            switch (kind)
            {
                case TemperatureSensorKind.Lm75:
                    var lm75 = new Lm75(device);
                    return new I2cTemperatureSensor(kind, name, target, () => lm75.Temperature.DegreesCelsius, lm75);
                case TemperatureSensorKind.Mcp9808:
                    var mcp9808 = new Mcp9808(device);
                    return new I2cTemperatureSensor(kind, name, target, () => mcp9808.Temperature.DegreesCelsius, mcp9808);
                case TemperatureSensorKind.Sht3x:
                    // The binding keeps its previous reading when a CRC does not match; the frame check refuses the frame instead.
                    var sht3x = new Sht3x(new Sht3xFrameCheck(device, target));
                    return new I2cTemperatureSensor(kind, name, target, () => sht3x.Temperature.DegreesCelsius, sht3x);
                default:
                    throw new ArgumentOutOfRangeException(nameof(kind));
            }
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
            celsius = _readCelsius();
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

    /// <summary>Disposes the binding and its device.</summary>
    public void Dispose() => _binding.Dispose();

    // Passes the SHT3x's transfers through and checks the CRC-8 (polynomial 0x31, init 0xFF) of both words of every
    // 6-byte measurement frame, so a damaged frame is an error rather than the previous reading again.
    private sealed class Sht3xFrameCheck(I2cDevice inner, string target) : I2cDevice
    {
        public override I2cConnectionSettings ConnectionSettings => inner.ConnectionSettings;

        public override byte ReadByte() => inner.ReadByte();

        public override void Read(Span<byte> buffer)
        {
            inner.Read(buffer);
            if (buffer.Length == 6 && (Crc8(buffer[..2]) != buffer[2] || Crc8(buffer.Slice(3, 2)) != buffer[5]))
            {
                throw new HalException(HalErrorKind.Garbage, $"{target}: SHT3x measurement frame with a wrong CRC; reading refused", target);
            }
        }

        public override void WriteByte(byte value) => inner.WriteByte(value);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => inner.WriteRead(writeBuffer, readBuffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
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
}
