using System.Runtime.CompilerServices;
using EdgeGovernor.Simulator.Adapters;
using EdgeGovernor.Simulator.Checkers;
using EdgeGovernor.Simulator.Cluster;

namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>The cluster layer's half of the scenario runtime (issue 3): see <see cref="ClusterRun"/>.</summary>
public static partial class ScenarioRuntime
{
    // One cluster run per factory: CreateFactory makes it, CreateCheckers hands it to the simulation.
    private static readonly ConditionalWeakTable<Scenario, ClusterRun> Runs = new();

    /// <summary>The cluster run made by the latest <see cref="CreateFactory"/> for <paramref name="scenario"/>, if it has a cluster section.</summary>
    public static ClusterRun? ClusterRunOf(Scenario scenario) => Runs.TryGetValue(scenario, out ClusterRun? run) ? run : null;

    static partial void ConfigureCluster(ProtocolNodeFactory factory, Scenario scenario)
    {
        ClusterSettings? settings = ClusterSettings.From(scenario);
        if (settings is null)
        {
            Runs.Remove(scenario);
            return;
        }

        var run = new ClusterRun(settings, scenario.Config.NodeCount, scenario.Config.Seed);
        run.Install(factory);
        Runs.AddOrUpdate(scenario, run);
    }

    static partial void AddClusterCheckers(List<SimulationChecker> checkers, Scenario scenario)
    {
        if (Runs.TryGetValue(scenario, out ClusterRun? run))
        {
            checkers.Add(run);
        }
    }
}
