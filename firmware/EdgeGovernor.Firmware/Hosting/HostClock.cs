using System.Diagnostics;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>The clocks of the <c>edgegov</c> process: monotonic microseconds for the protocol and the loop, Unix microseconds for the price log.</summary>
internal static class HostClock
{
    /// <summary>Monotonic microseconds (<see cref="Stopwatch"/>).</summary>
    public static long NowUs() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    /// <summary>Wall clock, microseconds since the Unix epoch.</summary>
    public static long UnixNowUs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
