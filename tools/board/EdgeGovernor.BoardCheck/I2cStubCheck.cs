using System.Globalization;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Addons;
using EdgeGovernor.Hal.I2c;
using EdgeGovernor.Hal.State;
using RelayOptions = EdgeGovernor.Hal.Gpio.RelayOptions;

namespace EdgeGovernor.BoardCheck;

/// <summary>
/// hal's I2C add-ons (over <see cref="LinuxI2cDevice"/>) on the kernel's i2c-stub: the LM75 at 0x48 that the kernel's
/// <c>lm75</c> driver also reads, set to a known negative temperature (<see cref="I2cTemperatureSensor"/>'s reading must
/// equal hwmon's <c>temp1_input</c> and the register), and a relay on pin 15 (GPB7) of the MCP23017 at 0x20: the
/// binding's reset of the chip undone, the pin made an output at the level found, switched, and restored from the
/// journal, each step read back with busybox <c>i2cget</c>. Leaves the LM75 at 25.5 °C.
/// </summary>
public sealed class I2cStubCheck(int bus, string hwmonTemperature, CheckLog log)
{
    private const int Lm75 = 0x48, Expander = 0x20;
    private const int Iodira = 0x00, Iodirb = 0x01, Gpiob = 0x13, Olatb = 0x15;
    private readonly I2cTools _tools = new(bus);

    /// <summary>Runs every check.</summary>
    public void Run()
    {
        log.Expect(() =>
        {
            _tools.SetWord(Lm75, 0x00, 0x80f3);   // -12.5 degC: MSB 0xf3, LSB 0x80 (the word's low byte goes first)
            try
            {
                using I2cTemperatureSensor sensor = I2cTemperatureSensor.Open(TemperatureSensorKind.Lm75,
                    new LinuxI2cDevice(bus, Lm75, SmbusRegisterWidth.Word, shareWithKernelDriver: true), "inlet", I2cTarget.Format(bus, Lm75));
                int hal = sensor.ReadMillidegreesCelsius();
                int hwmon = int.Parse(File.ReadAllText(hwmonTemperature).Trim(), CultureInfo.InvariantCulture);
                return (hal == -12500 && hwmon == -12500, $"hal {hal}, hwmon temp1_input {hwmon}");
            }
            finally
            {
                _tools.SetWord(Lm75, 0x00, 0x8019);   // back to 25.5 degC
            }
        }, "LM75 at 0x48 set to -12.5 degC in i2c-stub: hal's I2cTemperatureSensor (I2C_SLAVE_FORCE, SMBus word read, two's complement decoded) and the kernel's lm75 hwmon both read -12500");

        log.Expect(() =>
        {
            // As found at start: every pin an input except GPB1, an output a previous owner left latched high.
            _tools.SetByte(Expander, Iodira, 0xff);
            _tools.SetByte(Expander, Iodirb, 0xfd);
            _tools.SetByte(Expander, Gpiob, 0x00);
            _tools.SetByte(Expander, Olatb, 0x02);
            var journal = ActuatorStateJournal.Open(Path.Combine(Path.GetTempPath(), "boardcheck-i2c.json"));
            using I2cExpander expander = I2cExpander.Open(ExpanderKind.Mcp23017, new LinuxI2cDevice(bus, Expander), I2cTarget.Format(bus, Expander));
            int iodirOpened = _tools.GetByte(Expander, Iodirb), olatOpened = _tools.GetByte(Expander, Olatb);
            using var relay = new ExpanderRelay(expander, 15, "boardcheck", new RelayOptions(MinimumDwell: TimeSpan.Zero), TimeProvider.System, journal);
            int iodir = _tools.GetByte(Expander, Iodirb), found = _tools.GetByte(Expander, Gpiob) >> 7 & 1;
            relay.Switch(found == 0);
            int switched = _tools.GetByte(Expander, Gpiob) >> 7 & 1;
            RestoreReport report = journal.RestoreAll(new AddonRestorer(new Dictionary<string, I2cExpander> { [expander.Target] = expander }, new Dictionary<string, Iot.Device.Pwm.Pca9685>()));
            int restored = _tools.GetByte(Expander, Gpiob) >> 7 & 1;
            bool ok = iodirOpened == 0xfd && olatOpened == 0x02 && iodir == 0x7d && found == (relay.FoundLevel == System.Device.Gpio.PinValue.High ? 1 : 0)
                && switched != found && report.Restored == 1 && restored == found;
            return (ok, $"after open IODIRB 0x{iodirOpened:x2} OLATB 0x{olatOpened:x2}; taken over IODIRB 0x{iodir:x2}, GPB7 {found}; switched {switched}; journal restored {report.Restored}, GPB7 {restored}");
        }, "MCP23017 at 0x20 through Iot.Device.Mcp23017: the binding's reset undone (IODIRB 0xfd, OLATB 0x02 kept), GPB7 an output at the level found, switched, restored from the journal, as i2cget reads them");
    }
}
