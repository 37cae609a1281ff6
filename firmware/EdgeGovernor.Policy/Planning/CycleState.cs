namespace EdgeGovernor.Policy.Planning;

/// <summary>A server's cycling state at the start of a market interval.</summary>
/// <param name="On">Up and able to work.</param>
/// <param name="IntervalsInState">Intervals since the last switch (at least 1).</param>
/// <param name="CyclesToday">Power-offs so far today.</param>
/// <param name="RemainingSlots">Intervals of deferrable work left in the current job.</param>
public readonly record struct CycleState(bool On, int IntervalsInState, int CyclesToday, int RemainingSlots);
