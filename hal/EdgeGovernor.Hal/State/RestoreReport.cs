namespace EdgeGovernor.Hal.State;

/// <summary>Outcome of a restore: how many entries went back, and which failed and why.</summary>
public sealed record RestoreReport(int Restored, IReadOnlyList<RestoreFailure> Failures)
{
    /// <summary>True when every entry was restored.</summary>
    public bool Complete => Failures.Count == 0;
}
