namespace EdgeGovernor.TestSupport.I2c;

/// <summary>
/// An INA219: configuration 0x00 (reset bit 15; power-on 0x399F), shunt voltage 0x01 (10 µV LSB, signed), bus voltage 0x02
/// (bits 15..3 × 4 mV, bit 1 conversion ready), power 0x03 and current 0x04 computed as the chip does from the calibration
/// 0x05: current = shunt × calibration / 4096, power = current × bus / 5000.
/// </summary>
public sealed class FakeIna219(int bus = 1, int address = 0x40) : FakeWordRegisterChip(bus, address)
{
    /// <summary>The configuration register.</summary>
    public ushort Configuration { get; private set; } = 0x399F;

    /// <summary>The calibration register.</summary>
    public ushort Calibration { get; private set; }

    /// <summary>Bus voltage at the load, volts.</summary>
    public double BusVolts { get; set; }

    /// <summary>Voltage across the shunt, volts.</summary>
    public double ShuntVolts { get; set; }

    /// <summary>When set, the raw power register answered instead of the computed one (a damaged reading).</summary>
    public ushort? PowerOverride { get; set; }

    private short ShuntRaw => (short)Math.Clamp(Math.Round(ShuntVolts / 10e-6), short.MinValue, short.MaxValue);

    private short CurrentRaw => (short)Math.Clamp(ShuntRaw * Calibration / 4096, short.MinValue, short.MaxValue);

    private ushort BusRaw => (ushort)(((int)Math.Round(BusVolts / 0.004) & 0x1FFF) << 3 | 0x2);

    /// <inheritdoc/>
    protected override ushort ReadWord(byte register) => register switch
    {
        0x00 => Configuration,
        0x01 => (ushort)ShuntRaw,
        0x02 => BusRaw,
        0x03 => PowerOverride ?? (ushort)Math.Clamp(Math.Abs(CurrentRaw) * (BusRaw >> 3) / 5000, 0, ushort.MaxValue),
        0x04 => (ushort)CurrentRaw,
        0x05 => Calibration,
        _ => 0,
    };

    /// <inheritdoc/>
    protected override void WriteWord(byte register, ushort value, bool byteWide)
    {
        if (register == 0x00)
        {
            Configuration = (value & 0x8000) != 0 ? (ushort)0x399F : value;
            if ((value & 0x8000) != 0)
            {
                Calibration = 0;
            }
        }
        else if (register == 0x05)
        {
            Calibration = (ushort)(value & 0xFFFE);
        }
    }
}
