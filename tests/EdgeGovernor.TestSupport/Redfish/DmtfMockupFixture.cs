namespace EdgeGovernor.TestSupport.Redfish;

/// <summary>One DMTF mockup server per mockup for the whole test class (none when python3 is missing: <see cref="Missing"/>).</summary>
public sealed class DmtfMockupFixture : IDisposable
{
    public DmtfMockupFixture()
    {
        Missing = DmtfMockupServer.Missing();
        if (Missing is null)
        {
            Rackmount = DmtfMockupServer.Start("public-rackmount1");
            Pdu = DmtfMockupServer.Start("public-pdu");
        }
    }

    public string? Missing { get; }

    public DmtfMockupServer? Rackmount { get; }

    public DmtfMockupServer? Pdu { get; }

    public void Dispose()
    {
        Rackmount?.Dispose();
        Pdu?.Dispose();
    }
}
