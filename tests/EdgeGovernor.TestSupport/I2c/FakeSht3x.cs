namespace EdgeGovernor.TestSupport.I2c;

/// <summary>
/// A Sensirion SHT3x: 16-bit commands (soft reset 0x30A2, heater 0x306D/0x3066, single-shot measurements 0x24xx/0x2Cxx); after a
/// measurement a 6-byte read gives temperature (T = -45 + 175 · raw / 65535), CRC, humidity (100 · raw / 65535), CRC
/// (CRC-8, polynomial 0x31, init 0xFF).
/// </summary>
public sealed class FakeSht3x(int bus = 1, int address = 0x44) : FakeI2cDevice(bus, address)
{
    private bool _measured;

    /// <summary>Temperature to report, °C.</summary>
    public double Celsius { get; set; } = 25;

    /// <summary>Relative humidity to report, %.</summary>
    public double Humidity { get; set; } = 40;

    /// <summary>When true the temperature CRC is sent wrong (a damaged transfer).</summary>
    public bool CorruptCrc { get; set; }

    /// <summary>Last command received.</summary>
    public ushort LastCommand { get; private set; }

    /// <summary>CRC-8 of the SHT3x.</summary>
    public static byte Crc(ReadOnlySpan<byte> data)
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

    /// <inheritdoc/>
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 2)
        {
            LastCommand = (ushort)(data[0] << 8 | data[1]);
            _measured = data[0] is 0x24 or 0x2C;
        }
    }

    /// <inheritdoc/>
    protected override void OnRead(Span<byte> buffer)
    {
        if (!_measured)
        {
            throw new IOException("SHT3x: no measurement started (NACK)");
        }

        ushort t = (ushort)Math.Clamp(Math.Round((Celsius + 45) / 175 * 65535), 0, 65535);
        ushort h = (ushort)Math.Clamp(Math.Round(Humidity / 100 * 65535), 0, 65535);
        Span<byte> frame = [(byte)(t >> 8), (byte)t, 0, (byte)(h >> 8), (byte)h, 0];
        frame[2] = (byte)(Crc(frame[..2]) ^ (CorruptCrc ? 0x5A : 0));
        frame[5] = Crc(frame.Slice(3, 2));
        frame[..Math.Min(6, buffer.Length)].CopyTo(buffer);
    }
}
