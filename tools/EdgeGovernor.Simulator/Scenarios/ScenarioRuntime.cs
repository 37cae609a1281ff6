using EdgeGovernor.Protocol;
using EdgeGovernor.Simulator.Adapters;
using EdgeGovernor.Simulator.Checkers;

namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>
/// Turns a <see cref="Scenario"/> into what a run needs: the node factory (real protocol nodes
/// with the scenario's protocol settings) and the checkers.
/// </summary>
/// <remarks>
/// The seam for the cluster layer (issue 3): implement the partial methods
/// <see cref="ConfigureCluster"/> (register election/price-log components and a failure detector
/// on the factory, from <see cref="ScenarioFile.Cluster"/>) and <see cref="AddClusterCheckers"/>
/// in a file of this partial class under <c>Cluster/</c>. Until then only the foundation runs.
/// </remarks>
public static partial class ScenarioRuntime
{
    /// <summary>The factory of protocol nodes for this scenario.</summary>
    /// <exception cref="ScenarioException">The protocol section sets an invalid option.</exception>
    public static ProtocolNodeFactory CreateFactory(Scenario scenario)
    {
        if (scenario.Config.Traffic.Publishers.Count > 0 && scenario.Config.Traffic.PayloadBytes > ProtocolNode.MaxMulticastPayload)
        {
            throw new ScenarioException(scenario.File, "traffic.payload_bytes",
                $"must be at most {ProtocolNode.MaxMulticastPayload} (the protocol's largest multicast payload; was {scenario.Config.Traffic.PayloadBytes})");
        }

        ProtocolSection? p = scenario.Source.Protocol;
        var factory = new ProtocolNodeFactory(p is null ? null : o => Apply(o, p));
        try
        {
            factory.OptionsFor(1, 1).Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ScenarioException(scenario.File, "protocol", ex.Message);
        }

        ConfigureCluster(factory, scenario);
        ConfigureContracts(factory, scenario);
        return factory;
    }

    /// <summary>A fresh set of every checker for one run of the scenario.</summary>
    public static List<SimulationChecker> CreateCheckers(Scenario scenario)
    {
        var list = new List<SimulationChecker> { new StreamDeliveryChecker() };
        AddClusterCheckers(list, scenario);
        AddContractCheckers(list, scenario);
        return list;
    }

    static partial void ConfigureCluster(ProtocolNodeFactory factory, Scenario scenario);

    static partial void AddClusterCheckers(List<SimulationChecker> checkers, Scenario scenario);

    static partial void ConfigureContracts(ProtocolNodeFactory factory, Scenario scenario);

    static partial void AddContractCheckers(List<SimulationChecker> checkers, Scenario scenario);

    private static NodeOptions Apply(NodeOptions o, ProtocolSection p) => o with
    {
        HeartbeatIntervalUs = p.HeartbeatIntervalUs ?? o.HeartbeatIntervalUs,
        FailureTimeoutUs = p.FailureTimeoutUs ?? o.FailureTimeoutUs,
        RttEstimateUs = p.RttEstimateUs ?? o.RttEstimateUs,
        NackBackoffFactor = p.NackBackoffFactor ?? o.NackBackoffFactor,
        GapCheckIntervalUs = p.GapCheckIntervalUs ?? o.GapCheckIntervalUs,
        MaxNackRoundsAfterFailure = p.MaxNackRoundsAfterFailure ?? o.MaxNackRoundsAfterFailure,
        MulticastSendWindow = p.MulticastSendWindow ?? o.MulticastSendWindow,
        MulticastRetention = p.MulticastRetention ?? o.MulticastRetention,
        UnicastWindow = p.UnicastWindow ?? o.UnicastWindow,
    };
}
