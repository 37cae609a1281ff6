namespace EdgeGovernor.Hal.CpuFreq;

/// <summary>Range checks shared by the sysfs and simulated policies.</summary>
public static class CpuFreqValidation
{
    /// <summary>Refuses limits outside the hardware range, or min above max.</summary>
    public static void ValidateLimits(ICpuFreqPolicy policy, long minKhz, long maxKhz)
    {
        if (minKhz < policy.HardwareMinKhz || minKhz > policy.HardwareMaxKhz)
        {
            ThrowHelper.ThrowOutOfRange(policy.Name, "scaling_min_freq (kHz)", minKhz, policy.HardwareMinKhz, policy.HardwareMaxKhz);
        }

        if (maxKhz < policy.HardwareMinKhz || maxKhz > policy.HardwareMaxKhz)
        {
            ThrowHelper.ThrowOutOfRange(policy.Name, "scaling_max_freq (kHz)", maxKhz, policy.HardwareMinKhz, policy.HardwareMaxKhz);
        }

        if (minKhz > maxKhz)
        {
            ThrowHelper.ThrowOutOfRange(policy.Name, $"{policy.Name}: minimum {minKhz} kHz above maximum {maxKhz} kHz");
        }
    }

    /// <summary>Refuses a governor the policy does not offer.</summary>
    public static void ValidateGovernor(ICpuFreqPolicy policy, string governor)
    {
        if (!policy.AvailableGovernors.Contains(governor))
        {
            ThrowHelper.ThrowOutOfRange(policy.Name, $"{policy.Name}: governor '{governor}' not among [{string.Join(' ', policy.AvailableGovernors)}]");
        }
    }

    /// <summary>Refuses an energy-performance preference the policy does not offer (or any, when it has no EPP).</summary>
    public static void ValidateEnergyPerformancePreference(ICpuFreqPolicy policy, string preference)
    {
        if (policy.AvailableEnergyPerformancePreferences.Count == 0)
        {
            throw new HalException(HalErrorKind.Missing, $"{policy.Name} has no energy_performance_preference", policy.Name);
        }

        if (!policy.AvailableEnergyPerformancePreferences.Contains(preference))
        {
            ThrowHelper.ThrowOutOfRange(policy.Name, $"{policy.Name}: energy-performance preference '{preference}' not among [{string.Join(' ', policy.AvailableEnergyPerformancePreferences)}]");
        }
    }
}
