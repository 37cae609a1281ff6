namespace EdgeGovernor.Hal.State;

/// <summary>
/// Outcome of a restore: how many entries went back, which failed and why (they stay in the state file), and which were
/// refused as invalid (<see cref="HalErrorKind.Invalid"/>; removed from the file).
/// </summary>
public sealed record RestoreReport(int Restored, IReadOnlyList<RestoreFailure> Failures)
{
    /// <summary>Entries refused as invalid and removed from the state file.</summary>
    public IReadOnlyList<RestoreFailure> Refused { get; init; } = [];

    /// <summary>True when every entry was restored.</summary>
    public bool Complete => Failures.Count == 0;
}
