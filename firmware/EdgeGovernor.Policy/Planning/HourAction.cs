namespace EdgeGovernor.Policy.Planning;

/// <summary>What a server does in one market interval (an hour at 60-minute planning), as chosen by a plan.</summary>
public enum HourAction : byte
{
    /// <summary>Stay as it is: an up server runs (interactive) or idles (deferrable); a down server stays off.</summary>
    Stay = 0,

    /// <summary>Up deferrable server runs one interval (slot) of its job uncapped.</summary>
    RunSlot = 1,

    /// <summary>Switch: an up server powers off, a down server boots (the boot takes this interval).</summary>
    Switch = 2,
}
