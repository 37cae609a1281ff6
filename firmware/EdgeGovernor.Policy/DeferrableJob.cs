namespace EdgeGovernor.Policy;

/// <summary>A deferrable job queued on a server.</summary>
/// <param name="Server">Server slot.</param>
/// <param name="RemainingSlots">Market intervals of uncapped running still needed.</param>
/// <param name="DeadlineInterval">Absolute interval (same index as <see cref="PolicyInput.Interval"/>) by whose start the job must be done.</param>
public readonly record struct DeferrableJob(int Server, int RemainingSlots, long DeadlineInterval);
