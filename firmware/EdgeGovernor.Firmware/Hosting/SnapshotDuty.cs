using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Transport;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// Copies the numbers <c>/metrics</c> and <c>/status</c> show into the <see cref="NodeSnapshot"/> after every control
/// step (same period, later in the turn), under the snapshot's lock; allocation-free. The one place it is filled.
/// </summary>
internal sealed class SnapshotDuty(NodeSnapshot snapshot, ClusterNode cluster, UdpTransport transport, ClusterBinding binding, RackController rack,
    PriceSchedule price, ClusterEvents events, FeedDuty feed, ReadinessDuty readiness, RackStepDuty control, long startUs, long periodUs, long firstUs) : IDuty
{
    private long _nextUs = firstUs;

    /// <inheritdoc/>
    public long DueUs(long nowUs) => _nextUs;

    /// <inheritdoc/>
    public void Run(long nowUs)
    {
        Capture(nowUs);
        _nextUs = nowUs + periodUs;
    }

    /// <summary>Fills the snapshot as of <paramref name="nowUs"/>.</summary>
    public void Capture(long nowUs)
    {
        ProtocolCounters c = cluster.Node.Counters;
        ClusterMembership m = cluster.Membership;
        lock (snapshot.SyncRoot)
        {
            NodeSnapshot s = snapshot;
            s.MemberCount = Math.Min(m.LiveCount, s.Members.Length);
            for (int i = 0; i < s.MemberCount; i++)
            {
                NodeId id = m.LiveMemberAt(i);
                s.Members[i] = id.Value;
                s.MemberAlive[i] = m.StateOf(id) != MemberState.Failed;
            }
            s.Coordinator = cluster.IsCoordinator;
            s.Voter = cluster.Election.IsVoter;
            s.Term = cluster.Election.CurrentTerm;
            s.Leader = cluster.Election.Leader.Value;
            s.UptimeSeconds = (nowUs - startUs) / 1e6;
            s.MarketTicks = snapshot.Market.Now.Ticks;
            s.PriceFresh = price.Fresh;
            s.Record = price.InForce;
            s.Applied = price.Applied;
            s.Published = feed.Published;
            s.LogLast = cluster.Log.LastIndex;
            s.LogCommit = cluster.Log.CommitIndex;
            s.Rack = rack.Reading;
            s.IntervalMinutes = rack.Spec.IntervalMinutes;
            s.Interval = rack.Interval;
            s.IntervalsDecided = rack.IntervalsDecided;
            EnergyLedger ledger = rack.Ledger;
            s.IntervalsClosed = ledger.IntervalsClosed;
            s.LastIntervalKwh = ledger.LastIntervalKwh;
            s.LastIntervalEur = ledger.LastIntervalEur;
            s.LastIntervalKgCo2 = ledger.LastIntervalKgCo2;
            s.DatagramsSent = c.DatagramsSent;
            s.DatagramsReceived = c.DatagramsReceived;
            s.BytesSent = c.BytesSent;
            s.BytesReceived = c.BytesReceived;
            s.Accepted = c.DatagramsAccepted;
            s.Heartbeats = c.HeartbeatsSent;
            s.Nacks = c.NacksSent;
            s.Repairs = c.RepairsSent;
            s.Retransmits = c.UnicastRetransmits;
            s.Delivered = c.MulticastDelivered;
            s.Retained = c.RetainedMessages;
            s.DroppedTotal = c.DroppedTotal;
            for (int i = 0; i < NodeSnapshot.DropReasons.Length; i++)
            {
                s.Drops[i] = c.Dropped(NodeSnapshot.DropReasons[i]);
            }
            s.TxErrors = transport.SendErrors;
            s.QueueDrops = transport.QueueDrops;
            s.Oversized = transport.Oversized;
            s.PricesIgnored = price.Ignored;
            s.FeedPollsAbandoned = feed.Abandoned;
            s.Unroutable = binding.Unroutable;
            s.LeaderChanges = events.LeaderChanges;
            s.Suspicions = m.Suspicions;
            s.Failures = m.Failures;
            s.ClusterMalformed = cluster.Malformed;
            ClusterGuardCounters guards = cluster.GuardCounters;
            s.TermJumpsRefused = guards.TermJumpsRefused;
            s.StandsRefusedAtTermCeiling = guards.StandsRefusedAtTermCeiling;
            s.AnnouncedPeriodsClamped = guards.AnnouncedPeriodsClamped;
            s.FirstHeartbeatUs = readiness.FirstHeartbeatUs;
            s.UpcomingHours = price.UpcomingHours;
            s.StalenessSeconds = price.StalenessSeconds(cluster.UnixMs(nowUs));
            s.CarbonKgPerKwh = control.CarbonKgPerKwh;
        }
    }
}
