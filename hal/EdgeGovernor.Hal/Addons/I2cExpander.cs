using System.Device.Gpio;
using System.Device.I2c;
using System.Globalization;
using Iot.Device.Mcp23xxx;

namespace EdgeGovernor.Hal.Addons;

/// <summary>
/// An I2C GPIO expander (<see cref="ExpanderKind"/>) as a System.Device.Gpio <see cref="GpioController"/> whose driver is
/// the Iot.Device binding (<see cref="Mcp23017"/>, <see cref="Mcp23008"/>, or <see cref="Pca95x4Driver"/>).
/// <para>
/// The MCP23xxx bindings reset the chip when constructed (all pins inputs, latches 0). A board's relays must not drop
/// when the firmware starts, so the direction (IODIR), polarity (IPOL) and latch (OLAT) registers are read first and
/// written back, latch before direction, right after the binding is created: outputs are inputs for three I2C
/// transfers (well under a millisecond at 100 kHz), far shorter than a relay's operate time.
/// </para>
/// </summary>
public sealed class I2cExpander : IDisposable
{
    // MCP23x17 register addresses with IOCON.BANK = 0 (the power-on and binding default); MCP23008 has its own.
    private const byte Mcp23017Iodir = 0x00, Mcp23017Ipol = 0x02, Mcp23017Olat = 0x14;
    private const byte Mcp23008Iodir = 0x00, Mcp23008Ipol = 0x01, Mcp23008Olat = 0x0A;

    private readonly I2cDevice _device;

    private I2cExpander(ExpanderKind kind, string target, GpioController controller, I2cDevice device)
    {
        _device = device;
        Kind = kind;
        Target = target;
        Controller = controller;
    }

    /// <summary>The chip.</summary>
    public ExpanderKind Kind { get; }

    /// <summary><c>i2c-1@0x20</c>.</summary>
    public string Target { get; }

    /// <summary>The controller; pins are the expander's lines (physical levels).</summary>
    public GpioController Controller { get; }

    /// <summary>Number of lines.</summary>
    public int PinCount => Kind == ExpanderKind.Mcp23017 ? 16 : 8;

    /// <summary>Opens the expander on <paramref name="device"/>, which it owns from now on.</summary>
    /// <param name="kind">The chip.</param>
    /// <param name="device">The device (a <see cref="I2c.LinuxI2cDevice"/> on a board).</param>
    /// <param name="target">Name in errors and journal entries, <c>i2c-1@0x20</c>.</param>
    /// <exception cref="HalException">The chip does not answer.</exception>
    public static I2cExpander Open(ExpanderKind kind, I2cDevice device, string target)
    {
        ArgumentNullException.ThrowIfNull(device);
        try
        {
            GpioDriver driver = kind switch
            {
                ExpanderKind.Mcp23017 => KeepingState(device, Mcp23017Iodir, Mcp23017Ipol, Mcp23017Olat, 2, () => new Mcp23017(device)),
                ExpanderKind.Mcp23008 => KeepingState(device, Mcp23008Iodir, Mcp23008Ipol, Mcp23008Olat, 1, () => new Mcp23008(device)),
                ExpanderKind.Pca95x4 => new Pca95x4Driver(new Iot.Device.Pca95x4.Pca95x4(device)),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            return new I2cExpander(kind, target, new GpioController(driver), device);
        }
        catch (Exception e)
        {
            device.Dispose();
            throw AddonErrors.Wrap(e, target, $"opening {kind} at");
        }
    }

    /// <summary>
    /// The level of <paramref name="pin"/> as the chip reads it (an output's latch, an input's line), without changing its
    /// direction or latch: for listing a relay that is not taken over (<c>edgegov hw</c>).
    /// </summary>
    /// <exception cref="HalException">The pin does not exist, or the chip does not answer.</exception>
    public PinValue ReadLevel(int pin)
    {
        string target = PinTarget(pin);
        if ((uint)pin >= (uint)PinCount)
        {
            ThrowHelper.ThrowOutOfRange(target, "pin", pin, 0, PinCount - 1);
        }

        bool opened = !Controller.IsPinOpen(pin);
        try
        {
            if (opened)
            {
                Controller.OpenPin(pin);
            }

            return Controller.Read(pin);
        }
        catch (Exception e)
        {
            throw AddonErrors.Wrap(e, target, "reading");
        }
        finally
        {
            if (opened && Controller.IsPinOpen(pin))
            {
                Controller.ClosePin(pin);
            }
        }
    }

    /// <summary>The journal target of a pin: <c>i2c-1@0x20:3</c>.</summary>
    public string PinTarget(int pin) => string.Create(CultureInfo.InvariantCulture, $"{Target}:{pin}");

    /// <summary>
    /// Disposes the controller and its driver (the binding), then the device: the expander owns it, whether or not the
    /// binding disposes what it was given.
    /// </summary>
    public void Dispose()
    {
        Controller.Dispose();
        _device.Dispose();
    }

    private static Mcp23xxx KeepingState(I2cDevice device, byte iodir, byte ipol, byte olat, int width, Func<Mcp23xxx> create)
    {
        Span<byte> direction = stackalloc byte[1 + width];
        Span<byte> polarity = stackalloc byte[1 + width];
        Span<byte> latch = stackalloc byte[1 + width];
        direction[0] = iodir;
        polarity[0] = ipol;
        latch[0] = olat;
        device.WriteRead(direction[..1], direction[1..]);
        device.WriteRead(polarity[..1], polarity[1..]);
        device.WriteRead(latch[..1], latch[1..]);
        Mcp23xxx chip = create();
        try
        {
            device.Write(latch);
            device.Write(polarity);
            device.Write(direction);
        }
        catch
        {
            chip.Dispose();
            throw;
        }

        return chip;
    }
}
