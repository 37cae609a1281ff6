using System.Globalization;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.CpuFreq;
using EdgeGovernor.Hal.Sysfs;

namespace EdgeGovernor.Firmware.Control;

// cpufreq follows the caps (rack.cpufreq = "follow-cap").
//
// Rule: a policy's scaling_max_freq sits at the same position in cpuinfo_min_freq..cpuinfo_max_freq as its
// package's cap in minCapWatts..maxCapWatts: f = (cap - min) / (max - min), target = cpuinfo_min + f x
// (cpuinfo_max - cpuinfo_min), snapped down to the nearest of scaling_available_frequencies when the driver
// lists them (acpi-cpufreq), else down to a 100 MHz grid (intel_pstate, amd-pstate); an uncapped server
// (f = 1) gets cpuinfo_max_freq. scaling_min_freq is lowered with it only when the target falls below the
// minimum found at start. energy_performance_preference is left alone: it is the operator's (or tuned's)
// choice, and every driver, intel_pstate and amd-pstate-epp in active mode included, honours scaling_max_freq.
// A policy belongs to the package of its first CPU (affected_cpus -> cpuN/topology/physical_package_id ->
// intel-rapl:N); a policy whose package is unknown follows the lowest cap position of the board's packages.
// Limits are written only when the target changes, journalled before the first write and restored last-first.
internal sealed partial class LinuxRack
{
    private const long GridKhz = 100_000;

    private double[] _capFraction = [];
    private ICpuFreqPolicy[] _policies = [];
    private long[][] _policyFrequencies = [];
    private int[] _policyServer = [];
    private long[] _policyMinFound = [];
    private long[] _policyWritten = [];
    private long _cpufreqWrites;

    private void InitializeCpuFreq(SysfsRoot root, bool follow)
    {
        if (!follow || !_packages.Any(p => p is not null))
        {
            _policies = [.. _hardware.CpuFreqPolicies];
            _policyServer = [];
            return;
        }

        var policies = new List<ICpuFreqPolicy>();
        var servers = new List<int>();
        var minimums = new List<long>();
        foreach (ICpuFreqPolicy policy in _hardware.CpuFreqPolicies)
        {
            try
            {
                minimums.Add(policy.ReadMinKhz());
            }
            catch (HalException e)
            {
                _writeErrors++;
                Report(e);
                continue;
            }
            policies.Add(policy);
            servers.Add(ServerOfPolicy(root, policy.Name));
        }
        _policies = [.. policies];
        _policyServer = [.. servers];
        _policyMinFound = [.. minimums];
        _policyFrequencies = [.. policies.Select(p => p.AvailableFrequenciesKhz.Order().ToArray())];
        _policyWritten = new long[_policies.Length];
    }

    /// <summary>The server whose package holds the policy's first CPU, or -1 when the topology does not say.</summary>
    private int ServerOfPolicy(SysfsRoot root, string policy)
    {
        try
        {
            string cpus = File.ReadAllText(Path.Combine(root.CpuFreq, policy, "affected_cpus")).Trim();
            string first = cpus.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int cpu))
            {
                return -1;
            }
            string package = File.ReadAllText(root.Path($"sys/devices/system/cpu/cpu{cpu}/topology/physical_package_id")).Trim();
            for (int i = 0; i < _packages.Length; i++)
            {
                if (_packages[i] is { } zone && zone.Id == "intel-rapl:" + package)
                {
                    return i;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return -1;
    }

    /// <summary>Moves the policies that follow <paramref name="server"/> (and the unmapped ones) to their new targets.</summary>
    private void FollowCap(int server)
    {
        if (_policyServer.Length == 0 || _packages[server] is null)
        {
            return;
        }
        for (int p = 0; p < _policies.Length; p++)
        {
            int owner = _policyServer[p];
            if (owner != server && owner >= 0)
            {
                continue;
            }
            double fraction = owner >= 0 ? _capFraction[owner] : LowestLocalFraction();
            long target = TargetKhz(_policies[p], _policyFrequencies[p], fraction);
            if (target == _policyWritten[p])
            {
                continue;
            }
            try
            {
                _policies[p].SetLimitsKhz(Math.Min(_policyMinFound[p], target), target);
                _policyWritten[p] = target;
                _cpufreqWrites++;
            }
            catch (HalException e)
            {
                _writeErrors++;
                Report(e);
                _policyWritten[p] = target; // not retried every period; the next different target tries again
            }
        }
    }

    private double LowestLocalFraction()
    {
        double lowest = 1;
        for (int i = 0; i < _packages.Length; i++)
        {
            if (_packages[i] is not null)
            {
                lowest = Math.Min(lowest, _capFraction[i]);
            }
        }
        return lowest;
    }

    /// <summary>The follow rule (see the file's comment): the target scaling_max_freq in kHz for a cap position 0..1.</summary>
    public static long TargetKhz(ICpuFreqPolicy policy, ReadOnlySpan<long> availableAscending, double fraction)
    {
        long low = policy.HardwareMinKhz, high = policy.HardwareMaxKhz;
        if (fraction >= 1)
        {
            return high;
        }
        long raw = low + (long)Math.Floor(Math.Clamp(fraction, 0, 1) * (high - low));
        if (availableAscending.Length > 0)
        {
            long chosen = -1;
            foreach (long f in availableAscending)
            {
                if (f >= low && f <= high && (f <= raw || chosen < 0))
                {
                    chosen = f;
                }
                if (f > raw && chosen >= 0)
                {
                    break;
                }
            }
            return chosen >= 0 ? chosen : low;
        }
        return low + ((raw - low) / GridKhz * GridKhz);
    }

    private void ForgetCpuFreq()
    {
        Array.Clear(_policyWritten);
    }
}
