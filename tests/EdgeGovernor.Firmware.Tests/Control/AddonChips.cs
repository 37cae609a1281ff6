using System.Device.I2c;
using EdgeGovernor.Hal.I2c;
using EdgeGovernor.TestSupport.I2c;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>
/// The emulated add-on chips of the firmware's add-on tests on bus 1: an MCP23017 at 0x20, a PCA9685 at 0x40, an LM75 at
/// 0x48 and an INA219 at 0x41, handed out by <see cref="Factory"/> (<c>LinuxRackOptions.I2cDeviceFactory</c>).
/// </summary>
internal sealed class AddonChips
{
    public FakeMcp23xxx Expander { get; } = new(mcp23017: true);

    public FakePca9685 Pwm { get; } = new();

    public FakeLm75 Inlet { get; } = new();

    public FakeIna219 Power { get; } = new() { BusVolts = 12, ShuntVolts = 0.1 };

    /// <summary>The chip at a bus and address; anything else is a test error.</summary>
    public I2cDevice Factory(int bus, int address, SmbusRegisterWidth width, bool shared) => (bus, address) switch
    {
        (1, 0x20) => Expander,
        (1, 0x40) => Pwm,
        (1, 0x48) => Inlet,
        (1, 0x41) => Power,
        _ => throw new InvalidOperationException($"no fake chip at {bus}:{address:x2}"),
    };
}
