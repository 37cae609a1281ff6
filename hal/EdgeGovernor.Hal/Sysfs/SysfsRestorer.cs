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
