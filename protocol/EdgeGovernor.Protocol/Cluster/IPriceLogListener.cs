namespace EdgeGovernor.Protocol.Cluster;

/// <summary>Receives what the cluster layer does with prices (for the application and the simulator's checkers).</summary>
public interface IPriceLogListener
{
    /// <summary>A record entered this node's log (appended as coordinator, or accepted from it).</summary>
    void OnRecordHeld(in PriceRecord record, long nowUs);

    /// <summary>The commit index advanced to <paramref name="commitIndex"/>.</summary>
    void OnCommitted(ulong commitIndex, long nowUs)
    {
    }
}
