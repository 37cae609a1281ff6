using System.Globalization;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The protection hal's <c>Relay</c> gives an outlet, for servers switched through their BMC's chassis control: a
/// minimum dwell between two changes (also counted from when the firmware took the server over) and a cap on changes
/// in any sliding hour. Time comes from the injected <see cref="TimeProvider"/>. Used by the control loop's thread only.
/// </summary>
internal sealed class PowerSwitchGuard
{
    private readonly TimeSpan _dwell;
    private readonly int _maxPerHour;
    private readonly TimeProvider _time;
    private readonly Queue<DateTimeOffset> _recent = new();
    private DateTimeOffset _last;

    /// <summary>Starts the dwell now.</summary>
    public PowerSwitchGuard(TimeSpan dwell, int maxPerHour, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerHour);
        _dwell = dwell;
        _maxPerHour = maxPerHour;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _last = time.GetUtcNow();
    }

    /// <summary>Why a change now would be refused, or null when it is allowed.</summary>
    public string? Refusal()
    {
        DateTimeOffset now = _time.GetUtcNow();
        while (_recent.Count > 0 && now - _recent.Peek() >= TimeSpan.FromHours(1))
        {
            _recent.Dequeue();
        }
        if (now - _last < _dwell)
        {
            return string.Create(CultureInfo.InvariantCulture, $"last change {(now - _last).TotalSeconds:F1} s ago, minimum dwell is {_dwell.TotalSeconds:F1} s");
        }
        return _recent.Count >= _maxPerHour ? $"{_recent.Count} changes in the last hour, the cap is {_maxPerHour}" : null;
    }

    /// <summary>Records a change made now.</summary>
    public void Record()
    {
        _last = _time.GetUtcNow();
        _recent.Enqueue(_last);
    }
}
