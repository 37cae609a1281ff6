using System.Device.Gpio;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Gpio.Drivers;

namespace EdgeGovernor.BoardCheck;

/// <summary>
/// The System.Device.Gpio driver's uAPI v2 completion on a real gpio-sim chip, line 7: line info
/// (<c>GPIO_V2_GET_LINEINFO_IOCTL</c>: USED and the consumer), line info watch (a request by another consumer comes as a
/// <c>gpio_v2_line_info_changed</c>), edge events (<c>gpio_v2_line_event</c> read by the driver's event thread from the
/// line request: callbacks and <c>WaitForEvent</c>) fed by toggling gpio-sim's <c>sim_gpio7/pull</c>, and EPERM when an
/// input is written, as a clear error.
/// </summary>
public sealed class GpioEventCheck(string chip, string simDirectory, CheckLog log)
{
    private const int Line = 7;

    /// <summary>Runs every check.</summary>
    public void Run()
    {
        var driver = new CharDeviceGpioDriver(chip, "boardcheck-ev");
        using var controller = new GpioController(driver);
        SetSimPull("pull-down");

        log.Expect(() =>
        {
            var changes = new System.Collections.Concurrent.ConcurrentQueue<GpioLineInfoChange>();
            driver.LineInfoChanged += changes.Enqueue;
            GpioLineInfo before = driver.WatchLineInfo(Line);
            using (var other = new GpioController(new CharDeviceGpioDriver(chip, "watched-by")))
            {
                other.OpenPin(Line, PinMode.Input);
                Wait(() => changes.Any(c => c.Kind == GpioLineChangeKind.Requested && c.Info.Consumer == "watched-by"));
            }

            driver.UnwatchLineInfo(Line);
            GpioLineChangeKind[] kinds = [.. changes.Select(c => c.Kind)];
            return (!before.IsUsed && kinds.Contains(GpioLineChangeKind.Requested), $"before: used {before.IsUsed}; changes seen: {string.Join(",", kinds)}");
        }, "GPIO_V2_GET_LINEINFO_WATCH_IOCTL: another consumer's request of line 7 arrives as gpio_v2_line_info_changed");

        controller.OpenPin(Line, PinMode.Input);
        log.Expect(() =>
        {
            GpioLineInfo info = driver.GetLineInfo(Line);
            return (info.IsUsed && info.Consumer == "boardcheck-ev" && !info.IsOutput, $"used {info.IsUsed}, consumer '{info.Consumer}', output {info.IsOutput}");
        }, "GPIO_V2_GET_LINEINFO_IOCTL: line 7 USED by consumer boardcheck-ev, an input");

        log.Expect(() =>
        {
            int rising = 0, falling = 0;
            controller.RegisterCallbackForPinValueChangedEvent(Line, PinEventTypes.Rising | PinEventTypes.Falling, (_, e) =>
            {
                if (e.ChangeType == PinEventTypes.Rising)
                {
                    Interlocked.Increment(ref rising);
                }
                else
                {
                    Interlocked.Increment(ref falling);
                }
            });
            for (int i = 0; i < 10; i++)
            {
                SetSimPull("pull-up");
                Thread.Sleep(20);
                SetSimPull("pull-down");
                Thread.Sleep(20);
            }

            Wait(() => Volatile.Read(ref rising) + Volatile.Read(ref falling) >= 20);
            GpioLineInfo info = driver.GetLineInfo(Line);
            return (rising == 10 && falling == 10 && info.Edges == (PinEventTypes.Rising | PinEventTypes.Falling),
                $"rising {rising}, falling {falling}, events read {driver.EventCount}, dropped {driver.DroppedEventCount}, edge flags in line info {info.Edges}");
        }, "edge events: 10 pull-up/pull-down toggles of sim_gpio7 reach the callbacks as 10 rising and 10 falling gpio_v2_line_events");

        log.Expect(() =>
        {
            var wait = Task.Run(() => controller.WaitForEvent(Line, PinEventTypes.Rising, TimeSpan.FromSeconds(10)));
            Thread.Sleep(200);
            SetSimPull("pull-up");
            WaitForEventResult result = wait.GetAwaiter().GetResult();
            WaitForEventResult timedOut = controller.WaitForEvent(Line, PinEventTypes.Falling, TimeSpan.FromMilliseconds(300));
            return (!result.TimedOut && result.EventTypes == PinEventTypes.Rising && timedOut.TimedOut, $"rising: {result.EventTypes} timed out {result.TimedOut}; falling with no edge: timed out {timedOut.TimedOut}");
        }, "WaitForEvent: a rising edge wakes it, no edge times out");

        log.Expect(() =>
        {
            try
            {
                driver.WriteLevel(Line, PinValue.High);
                return (false, "the kernel accepted a write to an input");
            }
            catch (HalException e) when (e.Kind == HalErrorKind.Rejected)
            {
                return (e.Errno == 1 && e.Message.Contains("is an input", StringComparison.Ordinal), e.Message);
            }
        }, "EPERM from GPIO_V2_LINE_SET_VALUES_IOCTL on an input is a clear HalException");

        controller.ClosePin(Line);
        log.Expect(() =>
        {
            GpioLineInfo info = driver.GetLineInfo(Line);
            return (!info.IsUsed, $"used {info.IsUsed}");
        }, "ClosePin with callbacks releases line 7 (the event thread stops on dispose)");
    }

    private static void Wait(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition() && DateTime.UtcNow < until)
        {
            Thread.Sleep(20);
        }
    }

    private void SetSimPull(string pull) => File.WriteAllText(Path.Combine(simDirectory, $"sim_gpio{Line}", "pull"), pull);
}
