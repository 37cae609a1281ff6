using EdgeGovernor.Policy.Planning;

namespace EdgeGovernor.Policy;

/// <summary>The policy's setpoint for one server for this control period.</summary>
public struct ServerSetpoint
{
    /// <summary>Power-state change.</summary>
    public PowerCommand Command;

    /// <summary>Power cap to program (W); 0 for a server that is or goes down.</summary>
    public double CapWatts;

    /// <summary>Let the queued deferrable job run this hour (uncapped).</summary>
    public bool RunDeferrable;

    /// <summary>Power the model expects the server to draw (W).</summary>
    public double ExpectedWatts;

    /// <summary>Work fraction of full throughput the model expects.</summary>
    public double ExpectedWork;

    /// <summary>The hour's plan action behind this setpoint.</summary>
    public HourAction Action;
}
