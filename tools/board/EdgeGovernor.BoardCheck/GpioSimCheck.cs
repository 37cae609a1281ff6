using System.Device.Gpio;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Gpio.Drivers;

namespace EdgeGovernor.BoardCheck;

/// <summary>
/// hal's <see cref="CharDeviceGpioDriver"/> on a real gpio-sim chip: chip info, line requests, output values, modes
/// and bias through <c>SET_CONFIG</c>, input values fed from gpio-sim's <c>sim_gpioN/pull</c>, EBUSY for a line held
/// by another request, and release on close. Uses lines 4..6 (the relays of the hardware board sit on 0 and 1).
/// </summary>
public sealed class GpioSimCheck(string chip, string simDirectory, CheckLog log)
{
    /// <summary>Runs every check.</summary>
    public void Run()
    {
        using var controller = new GpioController(new CharDeviceGpioDriver(chip, "boardcheck"));
        log.Expect(controller.PinCount == 8, $"GPIO_GET_CHIPINFO_IOCTL: {chip} has {controller.PinCount} lines (gpio-sim bank of 8)");

        log.Expect(() =>
        {
            controller.OpenPin(4, PinMode.Output, PinValue.High);
            return (SimValue(4) == 1, $"sim_gpio4/value {SimValue(4)}");
        }, "GPIO_V2_GET_LINE_IOCTL + SET_CONFIG output-values: line 4 opened as output High reads 1 in gpio-sim sysfs");
        log.Expect(() =>
        {
            controller.Write(4, PinValue.Low);
            int low = SimValue(4);
            controller.Write(4, PinValue.High);
            return (low == 0 && SimValue(4) == 1, $"after Low {low}, after High {SimValue(4)}");
        }, "GPIO_V2_LINE_SET_VALUES_IOCTL: writes to line 4 show in gpio-sim sysfs");
        log.Expect(() =>
        {
            controller.SetPinMode(4, PinMode.Input);
            SetSimPull(4, "pull-down");
            PinValue down = controller.Read(4);
            SetSimPull(4, "pull-up");
            PinValue up = controller.Read(4);
            return (down == PinValue.Low && up == PinValue.High, $"pull-down read {down}, pull-up read {up}");
        }, "GPIO_V2_LINE_SET_CONFIG_IOCTL to input + GET_VALUES: line 4 reads what gpio-sim's pull feeds it");
        log.Expect(() =>
        {
            controller.OpenPin(5, PinMode.InputPullUp);
            PinValue up = controller.Read(5);
            int simUp = SimValue(5);
            controller.SetPinMode(5, PinMode.InputPullDown);
            PinValue down = controller.Read(5);
            return (up == PinValue.High && simUp == 1 && down == PinValue.Low && SimValue(5) == 0, $"pull-up {up} (sysfs {simUp}), pull-down {down} (sysfs {SimValue(5)})");
        }, "bias flags: line 5 requested with BIAS_PULL_UP then BIAS_PULL_DOWN");

        using (var other = new GpioController(new CharDeviceGpioDriver(chip, "boardcheck-2")))
        {
            log.Expect(() =>
            {
                try
                {
                    other.OpenPin(4);
                    return (false, "the second request succeeded");
                }
                catch (HalException e) when (e.Kind == HalErrorKind.Busy)
                {
                    return (e.Errno == 16 && e.Message.Contains("boardcheck", StringComparison.Ordinal), $"HalException Busy, errno {e.Errno}: {e.Message}");
                }
            }, "a line held by another request is refused with EBUSY (USED in its line info, consumer named)");
            log.Expect(() =>
            {
                controller.ClosePin(4);
                other.OpenPin(4, PinMode.Output, PinValue.Low);
                return (SimValue(4) == 0, $"sim_gpio4/value {SimValue(4)}");
            }, "a closed line is released: another request takes it and drives it Low");
        }

        log.Expect(() =>
        {
            SetSimPull(6, "pull-up");
            controller.OpenPin(6);
            PinValue found = controller.Read(6);
            return (found == PinValue.High && SimValue(6) == 1, $"read {found}, sysfs {SimValue(6)}");
        }, "a line requested as-is (no direction flags) keeps and reads its level");
    }

    private int SimValue(int line) => int.Parse(File.ReadAllText(Path.Combine(simDirectory, $"sim_gpio{line}", "value")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private void SetSimPull(int line, string pull) => File.WriteAllText(Path.Combine(simDirectory, $"sim_gpio{line}", "pull"), pull);
}
