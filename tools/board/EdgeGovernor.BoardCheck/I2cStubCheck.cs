using System.Diagnostics;
using System.Globalization;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Addons;
using EdgeGovernor.Hal.I2c;
using EdgeGovernor.Hal.State;
using RelayOptions = EdgeGovernor.Hal.Gpio.RelayOptions;

namespace EdgeGovernor.BoardCheck;

/// <summary>
/// hal's I2C code (<see cref="LinuxI2cDevice"/>: <c>I2C_FUNCS</c>, <c>I2C_SLAVE</c>/<c>I2C_SLAVE_FORCE</c>, <c>I2C_SMBUS</c>
/// ioctls; the Iot.Device bindings on top) on the kernel's i2c-stub: the LM75 at 0x48 that the kernel's <c>lm75</c> driver
/// also reads (the binding's reading must equal hwmon's <c>temp1_input</c>), a relay on pin 15 (GPB7) of the MCP23017 at
/// 0x20 checked with busybox <c>i2cget</c> through the kernel and restored through the journal, and the errors: EBUSY
/// for an address a driver holds, ENODEV/ENXIO for an address nobody answers, an SMBus-impossible transfer refused.
/// </summary>
public sealed class I2cStubCheck(int bus, string hwmonTemperature, CheckLog log)
{
    private const int Lm75 = 0x48, Expander = 0x20, Nobody = 0x50;

    /// <summary>Runs every check.</summary>
    public void Run()
    {
        log.Expect(() =>
        {
            using var device = new LinuxI2cDevice(bus, Lm75, SmbusRegisterWidth.Word, shareWithKernelDriver: true);
            return (device.UsesSmbus, $"functionality 0x{(ulong)device.Functionality:x8}");
        }, $"I2C_FUNCS on /dev/i2c-{bus}: i2c-stub is SMBus-only, so the register transfers go as I2C_SMBUS ioctls");

        log.Expect(() =>
        {
            HalException e = Catch(() => new LinuxI2cDevice(bus, Lm75, SmbusRegisterWidth.Word).Dispose());
            return (e.Kind == HalErrorKind.Busy && e.Errno == 16 && e.Target == $"i2c-{bus}@0x48", e.Message);
        }, "I2C_SLAVE on the LM75 that the lm75 driver holds is Busy (EBUSY) and names bus and address");

        log.Expect(() =>
        {
            using I2cTemperatureSensor sensor = I2cTemperatureSensor.Open(TemperatureSensorKind.Lm75,
                new LinuxI2cDevice(bus, Lm75, SmbusRegisterWidth.Word, shareWithKernelDriver: true), "inlet", I2cTarget.Format(bus, Lm75));
            int binding = sensor.ReadMillidegreesCelsius();
            int hwmon = int.Parse(File.ReadAllText(hwmonTemperature).Trim(), CultureInfo.InvariantCulture);
            return (binding == hwmon && binding == 25500, $"Iot.Device.Lm75 {binding}, hwmon temp1_input {hwmon}");
        }, "LM75 read through the Iot.Device binding (I2C_SLAVE_FORCE + SMBus word read) equals the kernel's hwmon reading");

        log.Expect(() =>
        {
            var journal = ActuatorStateJournal.Open(Path.Combine(Path.GetTempPath(), "boardcheck-i2c.json"));
            using I2cExpander expander = I2cExpander.Open(ExpanderKind.Mcp23017, new LinuxI2cDevice(bus, Expander), I2cTarget.Format(bus, Expander));
            int iodirBefore = I2cGet(Expander, 0x01);
            using var relay = new ExpanderRelay(expander, 15, "boardcheck", new RelayOptions(MinimumDwell: TimeSpan.Zero), TimeProvider.System, journal);
            int iodir = I2cGet(Expander, 0x01), found = I2cGet(Expander, 0x13) >> 7 & 1;
            relay.Switch(found == 0);
            int switched = I2cGet(Expander, 0x13) >> 7 & 1;
            RestoreReport report = journal.RestoreAll(new AddonRestorer(new Dictionary<string, I2cExpander> { [expander.Target] = expander }, new Dictionary<string, Iot.Device.Pwm.Pca9685>()));
            int restored = I2cGet(Expander, 0x13) >> 7 & 1;
            bool ok = (iodirBefore & 0x80) != 0 && (iodir & 0x80) == 0 && switched != found && report.Restored == 1 && restored == found;
            return (ok, $"IODIRB 0x{iodirBefore:x2} -> 0x{iodir:x2}, GPB7 found {found}, switched {switched}, restored {restored}");
        }, "MCP23017 relay on GPB7 through Iot.Device.Mcp23017 over I2C_SMBUS: i2cget sees IODIRB output, GPIOB switched, then restored from the journal");

        log.Expect(() =>
        {
            HalException e = Catch(() =>
            {
                using var device = new LinuxI2cDevice(bus, Nobody);
                device.WriteRead([0x00], new byte[1]);
            });
            return (e.Kind == HalErrorKind.Missing && e.Errno is 6 or 19 && e.Target == $"i2c-{bus}@0x50", e.Message);
        }, "a transfer to an address nobody answers is Missing (ENXIO/ENODEV) and names bus and address");

        log.Expect(() =>
        {
            HalException e = Catch(() =>
            {
                using var device = new LinuxI2cDevice(bus, Expander);
                device.Read(new byte[6]);
            });
            return (e.Kind == HalErrorKind.Rejected, e.Message);
        }, "a 6-byte read without a register pointer (an SHT3x measurement) is refused on an SMBus-only adapter, nothing sent");
    }

    private static HalException Catch(Action action)
    {
        try
        {
            action();
        }
        catch (HalException e)
        {
            return e;
        }

        throw new InvalidOperationException("no HalException was thrown");
    }

    // Reads a register through the kernel with busybox i2cget (-f: independent of who holds the address).
    private int I2cGet(int address, int register)
    {
        using var p = Process.Start(new ProcessStartInfo("i2cget", ["-f", "-y", bus.ToString(CultureInfo.InvariantCulture),
            $"0x{address:x2}", $"0x{register:x2}", "b"]) { RedirectStandardOutput = true })!;
        string text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return Convert.ToInt32(text, 16);
    }
}
