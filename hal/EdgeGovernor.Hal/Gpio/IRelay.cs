namespace EdgeGovernor.Hal.Gpio;

/// <summary>A switched outlet (a PDU relay): on or off, with the protection of the hardware built in.</summary>
public interface IRelay
{
    /// <summary>A name for logs, e.g. <c>outlet-07</c>.</summary>
    string Name { get; }

    /// <summary>Reads whether the outlet is on (logical, after active-low inversion).</summary>
    bool ReadIsOn();

    /// <summary>
    /// Earliest time the relay may change again (minimum dwell and toggles per hour), or null when now.
    /// </summary>
    DateTimeOffset? NextChangeAllowedAt();

    /// <summary>
    /// Switches the outlet. No-op when already there. Refused with <see cref="HalErrorKind.RateLimited"/> inside the
    /// minimum dwell time or over the toggle cap; nothing is written then.
    /// </summary>
    void Switch(bool on);
}
