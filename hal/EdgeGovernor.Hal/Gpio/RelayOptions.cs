namespace EdgeGovernor.Hal.Gpio;

/// <summary>How a relay is wired and protected.</summary>
/// <param name="ActiveLow">True when a low line level closes the relay (common on relay boards).</param>
/// <param name="MinimumDwell">Shortest time between two changes, also counted from when the firmware took the relay over
/// (null: <see cref="DefaultDwell"/>).</param>
/// <param name="MaxTogglesPerHour">Most changes in any sliding hour.</param>
public sealed record RelayOptions(bool ActiveLow = false, TimeSpan? MinimumDwell = null, int MaxTogglesPerHour = 6)
{
    /// <summary>Default dwell when none is given: 30 s.</summary>
    public static readonly TimeSpan DefaultDwell = TimeSpan.FromSeconds(30);

    /// <summary>The dwell in force.</summary>
    public TimeSpan EffectiveDwell => MinimumDwell ?? DefaultDwell;
}
