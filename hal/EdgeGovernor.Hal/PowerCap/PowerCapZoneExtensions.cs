namespace EdgeGovernor.Hal.PowerCap;

/// <summary>Helpers over <see cref="IPowerCapZone"/>.</summary>
public static class PowerCapZoneExtensions
{
    /// <summary>Index of the constraint named <paramref name="name"/>, or -1.</summary>
    public static int FindConstraint(this IPowerCapZone zone, string name)
    {
        IReadOnlyList<PowerCapConstraintInfo> constraints = zone.Constraints;
        for (int i = 0; i < constraints.Count; i++)
        {
            if (constraints[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Validates a power limit against the constraint's range (shared by every implementation).</summary>
    public static void ValidatePowerLimit(this IPowerCapZone zone, int constraint, long microwatts)
    {
        PowerCapConstraintInfo info = zone.GetConstraint(constraint);
        long max = info.MaxPowerMicrowatts ?? long.MaxValue;
        if (microwatts < 1 || microwatts > max)
        {
            ThrowHelper.ThrowOutOfRange(zone.Id + "/constraint_" + constraint + "_power_limit_uw", "power limit (uW)", microwatts, 1, max);
        }
    }

    /// <summary>Validates a time window (1 us .. <see cref="PowerCapConstraintInfo.MaxTimeWindowMicroseconds"/>).</summary>
    public static void ValidateTimeWindow(this IPowerCapZone zone, int constraint, long microseconds)
    {
        zone.GetConstraint(constraint);
        if (microseconds < 1 || microseconds > PowerCapConstraintInfo.MaxTimeWindowMicroseconds)
        {
            ThrowHelper.ThrowOutOfRange(zone.Id + "/constraint_" + constraint + "_time_window_us", "time window (us)", microseconds, 1, PowerCapConstraintInfo.MaxTimeWindowMicroseconds);
        }
    }

    /// <summary>The constraint at <paramref name="constraint"/>, or an <see cref="HalErrorKind.OutOfRange"/> error.</summary>
    public static PowerCapConstraintInfo GetConstraint(this IPowerCapZone zone, int constraint)
    {
        if ((uint)constraint >= (uint)zone.Constraints.Count)
        {
            ThrowHelper.ThrowOutOfRange(zone.Id, $"zone {zone.Id} has no constraint {constraint} (it has {zone.Constraints.Count})");
        }

        return zone.Constraints[constraint];
    }
}
