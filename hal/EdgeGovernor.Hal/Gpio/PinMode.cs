namespace EdgeGovernor.Hal.Gpio;

/// <summary>Pin modes, as in System.Device.Gpio.</summary>
public enum PinMode
{
    /// <summary>Input, no bias.</summary>
    Input,
    /// <summary>Output.</summary>
    Output,
    /// <summary>Input with pull-down.</summary>
    InputPullDown,
    /// <summary>Input with pull-up.</summary>
    InputPullUp,
}
