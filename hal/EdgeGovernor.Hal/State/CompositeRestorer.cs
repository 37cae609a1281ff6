namespace EdgeGovernor.Hal.State;

/// <summary>Dispatches to the first restorer that handles an entry's kind.</summary>
public sealed class CompositeRestorer(params IActuatorRestorer[] restorers) : IActuatorRestorer
{
    /// <inheritdoc/>
    public bool CanRestore(string kind) => Array.Exists(restorers, r => r.CanRestore(kind));

    /// <inheritdoc/>
    public void Restore(SavedActuatorState state) =>
        Array.Find(restorers, r => r.CanRestore(state.Kind))!.Restore(state);
}
