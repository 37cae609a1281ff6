namespace EdgeGovernor.BoardCheck;

/// <summary>
/// <c>edgegov-boardcheck gpio &lt;/dev/gpiochipN&gt; &lt;gpio-sim sysfs dir&gt;</c>: exercises hal's GPIO character-device
/// driver (uAPI v2 ioctls) on a gpio-sim chip and checks each effect in gpio-sim's sysfs. Prints
/// <c>CHECK ok|FAIL ...</c> lines; exit code = failed checks (2: bad command line).
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length != 3 || args[0] != "gpio")
        {
            Console.Error.WriteLine("usage: edgegov-boardcheck gpio <chip, e.g. /dev/gpiochip1> <gpio-sim dir, e.g. /sys/devices/platform/gpio-sim.0/gpiochip1>");
            return 2;
        }

        var checks = new CheckLog(Console.Out);
        new GpioSimCheck(args[1], args[2], checks).Run();
        new GpioEventCheck(args[1], args[2], checks).Run();
        return checks.Failed;
    }
}
