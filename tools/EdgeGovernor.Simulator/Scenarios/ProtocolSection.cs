namespace EdgeGovernor.Simulator.Scenarios;

/// <summary>Overrides of the protocol's <c>NodeOptions</c>, in microseconds where named <c>_us</c>.</summary>
public sealed class ProtocolSection
{
    /// <summary>NodeOptions.HeartbeatIntervalUs.</summary>
    public long? HeartbeatIntervalUs { get; set; }

    /// <summary>NodeOptions.FailureTimeoutUs.</summary>
    public long? FailureTimeoutUs { get; set; }

    /// <summary>NodeOptions.RttEstimateUs.</summary>
    public long? RttEstimateUs { get; set; }

    /// <summary>NodeOptions.NackBackoffFactor.</summary>
    public double? NackBackoffFactor { get; set; }

    /// <summary>NodeOptions.GapCheckIntervalUs.</summary>
    public long? GapCheckIntervalUs { get; set; }

    /// <summary>NodeOptions.MaxNackRoundsAfterFailure.</summary>
    public int? MaxNackRoundsAfterFailure { get; set; }

    /// <summary>NodeOptions.MulticastSendWindow.</summary>
    public int? MulticastSendWindow { get; set; }

    /// <summary>NodeOptions.MulticastRetention.</summary>
    public int? MulticastRetention { get; set; }

    /// <summary>NodeOptions.UnicastWindow.</summary>
    public int? UnicastWindow { get; set; }
}
