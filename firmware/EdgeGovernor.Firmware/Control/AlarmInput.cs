using System.Device.Gpio;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// A maintenance or alarm input line, sampled once per control period (debounced by the kernel): asserted when its level
/// is the active one. Counts assertions; <see cref="Update"/> reports each change once so it is logged once.
/// </summary>
internal sealed class AlarmInput(string name, bool activeLow)
{
    /// <summary>Name in logs, /status and the metrics.</summary>
    public string Name { get; } = name;

    /// <summary>True when a low level asserts it.</summary>
    public bool ActiveLow { get; } = activeLow;

    /// <summary>Asserted at the last sample.</summary>
    public bool Asserted { get; private set; }

    /// <summary>Times it became asserted since start.</summary>
    public long Assertions { get; private set; }

    /// <summary>Takes a sampled level; returns +1 when it just became asserted, -1 when just released, 0 otherwise.</summary>
    public int Update(PinValue level)
    {
        bool active = (level == PinValue.High) != ActiveLow;
        if (active == Asserted)
        {
            return 0;
        }

        Asserted = active;
        if (active)
        {
            Assertions++;
            return 1;
        }

        return -1;
    }
}
