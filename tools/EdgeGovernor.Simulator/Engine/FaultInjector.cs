namespace EdgeGovernor.Simulator.Engine;

/// <summary>Applies a scheduled <see cref="FaultAction"/> of the config: crashes, restarts, partitions, one-way blocks, heal.</summary>
internal static class FaultInjector
{
    public static void Apply(Simulation simulation, FaultAction fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Crash:
                foreach (int n in fault.Nodes)
                {
                    simulation.Crash(n);
                }

                break;
            case FaultKind.Restart:
                foreach (int n in fault.Nodes)
                {
                    simulation.Restart(n);
                }

                break;
            case FaultKind.Partition:
                simulation.Network.Partition(fault.Groups);
                break;
            case FaultKind.OneWay:
                simulation.Network.BlockOneWay(fault.Nodes, fault.To);
                break;
            case FaultKind.Heal:
                simulation.Network.Heal();
                break;
        }
    }
}
