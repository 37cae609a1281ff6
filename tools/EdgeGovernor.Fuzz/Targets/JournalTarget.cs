using EdgeGovernor.Hal;
using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Actuator state files (what a crashed run left to restore) through <see cref="ActuatorStateJournal.Open"/>, the input
/// written to a fixed file in the scratch directory. A file that is no journal is refused with a
/// <see cref="HalException"/> of kind <see cref="HalErrorKind.Garbage"/>, the documented result; every entry of an
/// accepted one has a kind, a target and a value.
/// </summary>
internal sealed class JournalTarget : IFuzzTarget
{
    private string? _path;

    public string Name => "journal";

    public string Description => "the actuator state journal loader (ActuatorStateJournal.Open)";

    public void Run(ReadOnlySpan<byte> input)
    {
        _path ??= Path.Combine(FuzzScratch.Directory, "actuators.json");
        File.WriteAllBytes(_path, input.ToArray());
        ActuatorStateJournal journal;
        try
        {
            journal = ActuatorStateJournal.Open(_path);
        }
        catch (HalException e) when (e.Kind == HalErrorKind.Garbage)
        {
            return;
        }
        foreach (SavedActuatorState entry in journal.Entries)
        {
            if (string.IsNullOrEmpty(entry.Kind) || string.IsNullOrEmpty(entry.Target) || entry.Value is null)
            {
                throw new InvalidOperationException("an entry without kind, target or value was accepted");
            }
            journal.IsRecorded(entry.Kind, entry.Target);
        }
    }

    public IEnumerable<byte[]> Seeds()
    {
        // Written by the journal itself, as a crashed run leaves it.
        string path = Path.Combine(FuzzScratch.Directory, "seed-actuators.json");
        ActuatorStateJournal journal = ActuatorStateJournal.Open(path);
        journal.RecordOriginal("sysfs", "/sys/devices/system/cpu/cpu0/cpufreq/scaling_max_freq", "3600000");
        journal.RecordOriginal("powercap", "/sys/class/powercap/intel-rapl:0/constraint_0_power_limit_uw", "125000000");
        journal.RecordOriginal("gpio", "/dev/gpiochip0:17", "1");
        yield return File.ReadAllBytes(path);
        File.Delete(path);
        yield return """{"version":1,"entries":[{"kind":"hwmon","target":"/sys/class/hwmon/hwmon2/pwm1_enable","value":""}]}"""u8.ToArray();
        yield return """{"version":1,"entries":[]}"""u8.ToArray();
        yield return """{"version":2,"entries":[null]}"""u8.ToArray();
    }
}
