using System.Runtime.CompilerServices;
using EdgeGovernor.Simulator.Adapters;
using EdgeGovernor.Simulator.Checkers;
using EdgeGovernor.Simulator.Contracts;

namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>The load contracts' half of the scenario runtime: see <see cref="ContractRun"/>. A scenario without a
/// <c>contracts</c> section gets nothing from here.</summary>
public static partial class ScenarioRuntime
{
    // One contracts run per factory: CreateFactory makes it, CreateCheckers hands it to the simulation.
    private static readonly ConditionalWeakTable<Scenario, ContractRun> ContractRuns = new();

    /// <summary>The contracts run made by the latest <see cref="CreateFactory"/> for <paramref name="scenario"/>, if it has a contracts section.</summary>
    internal static ContractRun? ContractRunOf(Scenario scenario) => ContractRuns.TryGetValue(scenario, out ContractRun? run) ? run : null;

    static partial void ConfigureContracts(ProtocolNodeFactory factory, Scenario scenario)
    {
        ContractWorkload? workload = ContractWorkload.From(scenario);
        if (workload is null)
        {
            ContractRuns.Remove(scenario);
            return;
        }

        var run = new ContractRun(workload, scenario.Config.NodeCount, scenario.Config.Seed);
        run.Install(factory);
        ContractRuns.AddOrUpdate(scenario, run);
    }

    static partial void AddContractCheckers(List<SimulationChecker> checkers, Scenario scenario)
    {
        if (ContractRuns.TryGetValue(scenario, out ContractRun? run))
        {
            checkers.Add(run);
        }
    }
}
