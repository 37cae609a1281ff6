namespace EdgeGovernor.BoardCheck;

/// <summary>
/// <c>edgegov-boardcheck gpio &lt;/dev/gpiochipN&gt; &lt;gpio-sim sysfs dir&gt;</c>: exercises hal's GPIO character-device
/// driver (uAPI v2 ioctls) on a gpio-sim chip and checks each effect in gpio-sim's sysfs.
/// <c>edgegov-boardcheck i2c &lt;bus&gt; &lt;hwmon temp1_input&gt;</c>: hal's I2C device ioctls (<see cref="I2cTransferCheck"/>) and add-ons (<see cref="I2cStubCheck"/>) on i2c-stub. Prints
/// <c>CHECK ok|FAIL ...</c> lines; exit code = failed checks (2: bad command line).
/// <c>edgegov-boardcheck sign [iterations]</c>: Ed25519 sign and verify timing per message kind (<see cref="SignTiming"/>).
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length is 1 or 2 && args[0] == "sign")
        {
            var signChecks = new CheckLog(Console.Out);
            new SignTiming(args.Length == 2 && int.TryParse(args[1], out int n) && n > 0 ? n : 200, signChecks).Run();
            return signChecks.Failed;
        }

        if (args.Length == 3 && args[0] == "i2c" && int.TryParse(args[1], out int bus))
        {
            var i2c = new CheckLog(Console.Out);
            new I2cTransferCheck(bus, i2c).Run();
            new I2cStubCheck(bus, args[2], i2c).Run();
            return i2c.Failed;
        }

        if (args.Length != 3 || args[0] != "gpio")
        {
            Console.Error.WriteLine("usage: edgegov-boardcheck gpio <chip, e.g. /dev/gpiochip1> <gpio-sim dir, e.g. /sys/devices/platform/gpio-sim.0/gpiochip1>\n       edgegov-boardcheck i2c <i2c-stub bus number> <lm75 hwmon temp1_input>\n       edgegov-boardcheck sign [iterations]");
            return 2;
        }

        var checks = new CheckLog(Console.Out);
        new GpioSimCheck(args[1], args[2], checks).Run();
        new GpioEventCheck(args[1], args[2], checks).Run();
        return checks.Failed;
    }
}
