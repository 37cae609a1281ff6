using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Hal.Sysfs;

/// <summary>
/// Restores <c>"sysfs"</c> entries by writing the saved text back. Refuses targets outside
/// <c>{root}/sys</c>, so a tampered state file cannot make a root process write elsewhere.
/// </summary>
public sealed class SysfsRestorer(SysfsRoot root) : IActuatorRestorer
{
    /// <summary>The journal kind of sysfs attributes.</summary>
    public const string Kind = "sysfs";

    /// <inheritdoc/>
    public bool CanRestore(string kind) => kind == Kind;

    /// <inheritdoc/>
    public void Restore(SavedActuatorState state)
    {
        string full = Path.GetFullPath(state.Target);
        string sys = root.Sys.TrimEnd('/') + "/";
        if (!full.StartsWith(sys, StringComparison.Ordinal))
        {
            throw new HalException(HalErrorKind.OutOfRange, $"refusing to restore {state.Target}: not below {sys}", state.Target);
        }

        using var attribute = new SysfsAttribute(full);
        attribute.WriteText(state.Value);
    }
}

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
