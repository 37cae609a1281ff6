namespace EdgeGovernor.Firmware.Configuration;

/// <summary>A PWM chip driving fans (<c>rack.addons.pwm[]</c>).</summary>
internal sealed class PwmChipConfig
{
    /// <summary><c>pca9685</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>I2C bus number.</summary>
    public int Bus { get; set; } = -1;

    /// <summary>7-bit address (0x40..0x7F, not 0x70 all-call).</summary>
    public int Address { get; set; }

    /// <summary>PWM frequency to program, 24..1526 Hz; null leaves the chip's prescaler as found.</summary>
    public double? FrequencyHz { get; set; }

    /// <summary>The fans on its channels.</summary>
    public PwmFanConfig[] Fans { get; set; } = [];
}
