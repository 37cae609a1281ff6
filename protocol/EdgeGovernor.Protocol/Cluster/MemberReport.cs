namespace EdgeGovernor.Protocol.Cluster;

/// <summary>The load figures and log position a member reported in its last heartbeat.</summary>
/// <param name="UtilizationBp">Utilization in basis points.</param>
/// <param name="Capacity">Capacity score.</param>
/// <param name="Health">0 = healthy; anything else means "do not elect me".</param>
/// <param name="PeriodUs">The member's own announced heartbeat period.</param>
/// <param name="LastLogIndex">Index of its last price record.</param>
/// <param name="LastLogTerm">Term of its last price record.</param>
internal readonly record struct MemberReport(ushort UtilizationBp, uint Capacity, byte Health, long PeriodUs, ulong LastLogIndex, ulong LastLogTerm);
