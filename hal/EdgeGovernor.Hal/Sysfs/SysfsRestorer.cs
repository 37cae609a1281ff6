using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Hal.Sysfs;

/// <summary>
/// Restores <c>"sysfs"</c> entries by writing the saved text back. A tampered state file cannot make a root process
/// write elsewhere or write nonsense: the target's real path (every symlink resolved, realpath(3)) must lie below the
/// real <c>{root}/sys</c>, the attribute itself must not be a symlink, and the value must be in the format of that
/// attribute (<see cref="SysfsFormat.IsRestorable"/>: one of the attributes edgegov writes, at most
/// <see cref="SysfsFormat.MaxRestoreValueLength"/> bytes). Anything else is refused with <see cref="HalErrorKind.Invalid"/>
/// before anything is opened, and the journal drops the entry.
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
        string sys = (Interop.Libc.ResolvePath(root.Sys, out _) ?? root.Sys).TrimEnd('/') + "/";
        string? real = Interop.Libc.ResolvePath(full, out int errno);
        if (real is null)
        {
            ThrowHelper.ThrowErrno(errno, "resolving", full);
        }
        if (!real!.StartsWith(sys, StringComparison.Ordinal))
        {
            throw new HalException(HalErrorKind.Invalid, $"refusing to restore {state.Target}: its real path {real} is not below {sys}", state.Target);
        }
        if (new FileInfo(full).LinkTarget is not null)
        {
            throw new HalException(HalErrorKind.Invalid, $"refusing to restore {state.Target}: the attribute is a symlink", state.Target);
        }
        string name = Path.GetFileName(real);
        if (!SysfsFormat.IsRestorable(name, state.Value))
        {
            string shown = state.Value.Length <= SysfsFormat.MaxRestoreValueLength ? state.Value.ReplaceLineEndings("\\n") : $"{state.Value.Length} characters";
            throw new HalException(HalErrorKind.Invalid, $"refusing to restore {state.Target}: '{shown}' is not a value of {name}", state.Target);
        }

        using var attribute = new SysfsAttribute(real);
        attribute.WriteText(state.Value);
    }
}
