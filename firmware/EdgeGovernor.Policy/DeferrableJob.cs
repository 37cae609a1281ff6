namespace EdgeGovernor.Policy;

/// <summary>A deferrable job queued on a server.</summary>
/// <param name="Server">Server slot.</param>
/// <param name="RemainingSlots">Hours of uncapped running still needed.</param>
/// <param name="DeadlineHour">Absolute hour by whose start the job must be done.</param>
public readonly record struct DeferrableJob(int Server, int RemainingSlots, long DeadlineHour);
