namespace EdgeGovernor.TestSupport.Redfish;

/// <summary>A fact against the DMTF mockup server: skipped, with the reason, only when python3 (or the server script) is absent.</summary>
public sealed class DmtfMockupFactAttribute : FactAttribute
{
    public DmtfMockupFactAttribute()
    {
        if (DmtfMockupServer.Missing() is { } reason)
        {
            Skip = reason;
        }
    }
}
