namespace EdgeGovernor.TestSupport;

/// <summary>
/// The one rule of every "allocates nothing in steady state" test. After the caller's warm-up the measured work runs in
/// <see cref="Windows"/> windows; the bytes allocated on this thread (<see cref="GC.GetAllocatedBytesForCurrentThread"/>)
/// are measured around each window, and at least <see cref="QuietWindowsRequired"/> windows must read 0 B.
/// Steady state allocates nothing, so every window should read 0; the runtime itself can, rarely, charge a one-off
/// allocation to the thread (seen in CI: 32 B in one run of the full suite, 5,128 B in another), so one window may differ.
/// A per-call or periodic allocation shows in every window and fails. Only this thread is measured: work the code under
/// test hands to other threads is not.
/// </summary>
public static class AllocationAssert
{
    /// <summary>Windows measured.</summary>
    public const int Windows = 3;

    /// <summary>Windows that must allocate 0 B.</summary>
    public const int QuietWindowsRequired = 2;

    /// <summary>Each window calls <paramref name="call"/> <paramref name="callsPerWindow"/> times.</summary>
    public static void NothingInSteadyState(int callsPerWindow, Action call)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(callsPerWindow, 1);
        NothingInSteadyState($"{callsPerWindow:N0} calls", _ =>
        {
            for (int i = 0; i < callsPerWindow; i++)
            {
                call();
            }
        });
    }

    /// <summary>Runs <paramref name="window"/> once per window with the window's index (0, 1, 2); <paramref name="what"/>
    /// names a window's work in the failure message. Returns the bytes allocated per window.</summary>
    public static long[] NothingInSteadyState(string what, Action<int> window)
    {
        long[] bytes = new long[Windows];
        for (int w = 0; w < Windows; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            window(w);
            bytes[w] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.True(bytes.Count(b => b == 0) >= QuietWindowsRequired,
            $"bytes allocated per window of {what}: {string.Join(", ", bytes)} (need {QuietWindowsRequired} of {Windows} at 0 B)");
        return bytes;
    }
}
