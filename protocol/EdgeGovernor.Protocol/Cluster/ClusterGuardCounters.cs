namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// What the cluster layer's guards refused or clamped since start (read-only copy for metrics): terms refused as too
/// large a step, candidacies refused at the term ceiling (<see cref="TermGuard"/>), and heartbeat periods clamped
/// because a sender announced more than <see cref="AnnouncedPeriodLimit.MaxAnnouncedPeriodFactor"/> times this node's
/// own period (<see cref="AnnouncedPeriodLimit"/>).
/// </summary>
/// <param name="TermJumpsRefused">Terms refused because they exceeded the current one by more than <see cref="TermGuard.MaxTermStep"/>.</param>
/// <param name="StandsRefusedAtTermCeiling">Elections this node did not stand in because its term reached the ceiling.</param>
/// <param name="AnnouncedPeriodsClamped">Announced heartbeat periods clamped to the bound.</param>
public readonly record struct ClusterGuardCounters(long TermJumpsRefused, long StandsRefusedAtTermCeiling, long AnnouncedPeriodsClamped);
