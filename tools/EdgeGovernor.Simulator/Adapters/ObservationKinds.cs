using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Adapters;

/// <summary>The <see cref="NodeObservation.Kind"/> values the protocol adapter reports.</summary>
public static class ObservationKinds
{
    /// <summary>A reliable unicast message was delivered (A: sender id, B: payload bytes).</summary>
    public const string Unicast = "unicast";

    /// <summary>A member became alive (A: member id, B: incarnation).</summary>
    public const string MemberAlive = "member-alive";

    /// <summary>A member was declared failed (A: member id, B: incarnation).</summary>
    public const string MemberFailed = "member-failed";

    /// <summary>The coordinator changed (A: leader id or 0, B: term).</summary>
    public const string Leader = "leader";
}
