namespace EdgeGovernor.Hal.State;

/// <summary>Puts saved values back, for the kinds it knows.</summary>
public interface IActuatorRestorer
{
    /// <summary>True when this restorer handles <paramref name="kind"/>.</summary>
    bool CanRestore(string kind);

    /// <summary>Writes <paramref name="state"/> back; throws <see cref="HalException"/> on failure.</summary>
    void Restore(SavedActuatorState state);
}
