using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Hal.Sysfs;

/// <summary>Writes to sysfs actuators with the original value recorded first.</summary>
internal static class SysfsActuation
{
    /// <summary>Records the attribute's current text in <paramref name="journal"/> (first change only), then writes.</summary>
    public static void Write(SysfsAttribute attribute, long value, ActuatorStateJournal? journal, bool accessDeniedMeansLocked = false)
    {
        RecordOriginal(attribute, journal);
        attribute.Write(value, accessDeniedMeansLocked);
    }

    /// <summary>Text variant of <see cref="Write(SysfsAttribute, long, ActuatorStateJournal?, bool)"/>.</summary>
    public static void WriteText(SysfsAttribute attribute, string value, ActuatorStateJournal? journal)
    {
        RecordOriginal(attribute, journal);
        attribute.WriteText(value);
    }

    private static void RecordOriginal(SysfsAttribute attribute, ActuatorStateJournal? journal)
    {
        if (journal is not null && !journal.IsRecorded(SysfsRestorer.Kind, attribute.Path))
        {
            journal.RecordOriginal(SysfsRestorer.Kind, attribute.Path, attribute.ReadText());
        }
    }
}
