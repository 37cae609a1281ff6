namespace EdgeGovernor.Firmware.Hosting;

/// <summary>A duty that is never due (a feature that is not configured, e.g. no carbon feed to poll).</summary>
internal sealed class IdleDuty : IDuty
{
    /// <inheritdoc/>
    public long DueUs(long nowUs) => long.MaxValue;

    /// <inheritdoc/>
    public void Run(long nowUs)
    {
    }
}
