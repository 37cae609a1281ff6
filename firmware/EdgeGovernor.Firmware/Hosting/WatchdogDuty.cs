using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>Pets the systemd watchdog (<c>WATCHDOG=1</c>) every <paramref name="periodUs"/>, the first time at once.</summary>
internal sealed class WatchdogDuty(SdNotify notify, long periodUs, long firstUs) : IDuty
{
    private long _nextUs = firstUs;

    /// <inheritdoc/>
    public long DueUs(long nowUs) => _nextUs;

    /// <inheritdoc/>
    public void Run(long nowUs)
    {
        notify.Watchdog();
        _nextUs = nowUs + periodUs;
    }
}
