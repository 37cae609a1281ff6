namespace EdgeGovernor.Hal.Redfish.Dto;

/// <summary>A PDU (<c>PowerDistribution</c>): its outlets.</summary>
internal sealed class PowerDistributionDto
{
    public string? Id { get; set; }

    public ODataLink? Outlets { get; set; }
}
