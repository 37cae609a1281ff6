namespace EdgeGovernor.Hal.Tests.Redfish.Support;

/// <summary>Runs the poll-cost measurement alone: process-wide allocation counts must not include other tests' work.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedfishPollCostCollection
{
    public const string Name = "redfish-poll-cost";
}
