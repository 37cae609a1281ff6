using System.Runtime.InteropServices;
using EdgeGovernor.Hal.Interop;
using static EdgeGovernor.Hal.Interop.GpioV2;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Gpio.Drivers;

/// <summary>
/// GPIO through the Linux character device, uAPI v2 (<c>/dev/gpiochipN</c>): one
/// <c>GPIO_V2_GET_LINE_IOCTL</c> request per opened pin, held by a <see cref="SafeGpioLineRequestHandle"/>;
/// modes through <c>GPIO_V2_LINE_SET_CONFIG_IOCTL</c>, levels through <c>GPIO_V2_LINE_{GET,SET}_VALUES_IOCTL</c>.
/// A pin is requested with neither INPUT nor OUTPUT, which leaves its direction and level as they are;
/// that is how a relay reads what it found before the firmware drives it.
/// </summary>
public sealed unsafe class CharDeviceGpioDriver : GpioDriver
{
    private readonly SafeGpioChipHandle _chip;
    private readonly Dictionary<int, SafeGpioLineRequestHandle> _lines = [];
    private readonly byte[] _consumer;

    /// <summary>Opens <paramref name="chipPath"/>; lines are requested under the name <paramref name="consumer"/>.</summary>
    public CharDeviceGpioDriver(string chipPath = "/dev/gpiochip0", string consumer = "edgegov")
    {
        ArgumentException.ThrowIfNullOrEmpty(chipPath);
        ChipName = chipPath;
        _consumer = System.Text.Encoding.ASCII.GetBytes(consumer);
        if (_consumer.Length >= GPIO_MAX_NAME_SIZE)
        {
            ThrowHelper.ThrowOutOfRange(chipPath, $"consumer name '{consumer}' longer than {GPIO_MAX_NAME_SIZE - 1} bytes");
        }

        int fd = Libc.OpenPath(Libc.ToNativePath(chipPath), LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            ThrowHelper.ThrowErrno(-fd, "opening", chipPath);
        }

        _chip = new SafeGpioChipHandle(fd);
        gpiochip_info info = default;
        IoctlOrThrow(_chip, GPIO_GET_CHIPINFO_IOCTL, &info, "GPIO_GET_CHIPINFO_IOCTL on");
        PinCount = (int)info.lines;
    }

    /// <inheritdoc/>
    public override string ChipName { get; }

    /// <inheritdoc/>
    public override int PinCount { get; }

    /// <inheritdoc/>
    protected internal override void OpenPin(int pinNumber)
    {
        gpio_v2_line_request request = default;
        request.offsets[0] = (uint)pinNumber;
        request.num_lines = 1;
        for (int i = 0; i < _consumer.Length; i++)
        {
            request.consumer[i] = _consumer[i];
        }

        request.config.flags = 0; // as-is: neither input nor output
        IoctlOrThrow(_chip, GPIO_V2_GET_LINE_IOCTL, &request, $"GPIO_V2_GET_LINE_IOCTL (line {pinNumber}) on");
        _lines[pinNumber] = new SafeGpioLineRequestHandle(request.fd);
    }

    /// <inheritdoc/>
    protected internal override void ClosePin(int pinNumber)
    {
        if (_lines.Remove(pinNumber, out SafeGpioLineRequestHandle? line))
        {
            line.Dispose();
        }
    }

    /// <inheritdoc/>
    protected internal override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    /// <inheritdoc/>
    protected internal override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        gpio_v2_line_config config = default;
        config.flags = mode switch
        {
            PinMode.Output => GPIO_V2_LINE_FLAG_OUTPUT,
            PinMode.InputPullUp => GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
            PinMode.InputPullDown => GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN,
            _ => GPIO_V2_LINE_FLAG_INPUT,
        };
        if (mode == PinMode.Output)
        {
            config.num_attrs = 1;
            config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
            config.attrs[0].attr.values = initialValue.IsHigh ? 1UL : 0UL;
            config.attrs[0].mask = 1;
        }

        IoctlOrThrow(Line(pinNumber), GPIO_V2_LINE_SET_CONFIG_IOCTL, &config, $"GPIO_V2_LINE_SET_CONFIG_IOCTL (line {pinNumber}) on");
    }

    /// <inheritdoc/>
    protected internal override PinValue Read(int pinNumber)
    {
        gpio_v2_line_values values = default;
        values.mask = 1;
        IoctlOrThrow(Line(pinNumber), GPIO_V2_LINE_GET_VALUES_IOCTL, &values, $"GPIO_V2_LINE_GET_VALUES_IOCTL (line {pinNumber}) on");
        return (values.bits & 1) != 0;
    }

    /// <inheritdoc/>
    protected internal override void Write(int pinNumber, PinValue value)
    {
        gpio_v2_line_values values = default;
        values.mask = 1;
        values.bits = value.IsHigh ? 1UL : 0UL;
        IoctlOrThrow(Line(pinNumber), GPIO_V2_LINE_SET_VALUES_IOCTL, &values, $"GPIO_V2_LINE_SET_VALUES_IOCTL (line {pinNumber}) on");
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        foreach (SafeGpioLineRequestHandle line in _lines.Values)
        {
            line.Dispose();
        }

        _lines.Clear();
        _chip.Dispose();
    }

    private SafeGpioLineRequestHandle Line(int pinNumber) =>
        _lines.TryGetValue(pinNumber, out SafeGpioLineRequestHandle? line)
            ? line
            : throw new HalException(HalErrorKind.Missing, $"line {pinNumber} of {ChipName} is not requested", $"{ChipName}:{pinNumber}");

    private void IoctlOrThrow(FileDescriptorHandle handle, nuint request, void* argument, string operation)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Libc.Ioctl(handle.Fd, request, argument) < 0)
            {
                ThrowHelper.ThrowErrno(Marshal.GetLastPInvokeError(), operation, ChipName);
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
