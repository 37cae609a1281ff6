namespace EdgeGovernor.Hal.Gpio;

/// <summary>The level of a GPIO line, as in System.Device.Gpio: <see cref="High"/> or <see cref="Low"/>.</summary>
public readonly record struct PinValue
{
    private readonly byte _value;

    private PinValue(byte value) => _value = value;

    /// <summary>Logical high (1).</summary>
    public static PinValue High { get; } = new(1);

    /// <summary>Logical low (0).</summary>
    public static PinValue Low { get; } = new(0);

    /// <summary>True for <see cref="High"/>.</summary>
    public bool IsHigh => _value != 0;

    /// <summary>From a bool: true is high.</summary>
    public static implicit operator PinValue(bool value) => value ? High : Low;

    /// <summary>From an int: non-zero is high.</summary>
    public static implicit operator PinValue(int value) => value != 0 ? High : Low;

    /// <summary>To a bool: high is true.</summary>
    public static explicit operator bool(PinValue value) => value.IsHigh;

    /// <summary>Named alternative to the implicit operator.</summary>
    public static PinValue FromBoolean(bool value) => value;

    /// <summary>The opposite level.</summary>
    public PinValue Invert() => IsHigh ? Low : High;

    /// <inheritdoc/>
    public override string ToString() => IsHigh ? "High" : "Low";
}
