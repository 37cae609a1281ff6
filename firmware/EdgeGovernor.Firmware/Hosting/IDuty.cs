namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// One thing the agent loop does when it is due (<see cref="NodeHost"/>): each turn the loop runs every duty whose
/// <see cref="DueUs"/> has come, in a fixed order, then sleeps until the earliest <see cref="DueUs"/> or a datagram.
/// Runs on the loop's thread; neither member may block or allocate in steady state.
/// </summary>
internal interface IDuty
{
    /// <summary>When the duty is due next (monotonic µs; <see cref="long.MinValue"/>: now, <see cref="long.MaxValue"/>: not until something changes).</summary>
    long DueUs(long nowUs);

    /// <summary>Does the duty; called when <paramref name="nowUs"/> &gt;= <see cref="DueUs"/>.</summary>
    void Run(long nowUs);
}
