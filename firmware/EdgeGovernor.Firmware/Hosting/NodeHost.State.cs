using System.Globalization;
using System.Text.Json;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Hosting;

// The HTTP side of NodeHost: the agent loop copies plain numbers into StateCopy under a lock
// (allocation-free); the HTTP thread formats /metrics and /status from that copy.
public sealed partial class NodeHost
{
    private static readonly DropReason[] DropReasons = Enum.GetValues<DropReason>();
    private static readonly PriceRejection[] Rejections = Enum.GetValues<PriceRejection>();

    /// <summary>Numbers copied from the agent loop for the HTTP thread.</summary>
    private sealed class StateCopy
    {
        public StateCopy(FirmwareConfig config)
        {
            Roster = config.Roster;
            Members = new uint[256];
            MemberAlive = new bool[256];
            Drops = new long[DropReasons.Length];
        }

        public uint[] Roster { get; }

        public uint[] Members { get; }

        public bool[] MemberAlive { get; }

        public long[] Drops { get; }

        public int MemberCount;
        public bool Coordinator;
        public bool Voter;
        public ulong Term;
        public uint Leader;
        public double UptimeSeconds;
        public long MarketTicks;
        public bool PriceFresh;
        public PriceRecord Record;
        public long Applied;
        public long Published;
        public ulong LogLast;
        public ulong LogCommit;
        public RackReading Rack;
        public long DatagramsSent, DatagramsReceived, BytesSent, BytesReceived, Accepted, Heartbeats;
        public long Nacks, Repairs, Retransmits, Delivered, Retained, DroppedTotal;
        public long TxErrors, QueueDrops, Unroutable, LeaderChanges, Suspicions, Failures, ClusterMalformed;
        public long FirstHeartbeatUs;
        public int UpcomingHours;
        public double StalenessSeconds;
    }

    private void CopyState(long nowUs)
    {
        ProtocolCounters c = _cluster.Node.Counters;
        ClusterMembership m = _cluster.Membership;
        lock (_stateLock)
        {
            StateCopy s = _state;
            s.MemberCount = Math.Min(m.LiveCount, s.Members.Length);
            for (int i = 0; i < s.MemberCount; i++)
            {
                NodeId id = m.LiveMemberAt(i);
                s.Members[i] = id.Value;
                s.MemberAlive[i] = m.StateOf(id) != MemberState.Failed;
            }
            s.Coordinator = _cluster.IsCoordinator;
            s.Voter = _cluster.Election.IsVoter;
            s.Term = _cluster.Election.CurrentTerm;
            s.Leader = _cluster.Election.Leader.Value;
            s.UptimeSeconds = (nowUs - _startUs) / 1e6;
            s.MarketTicks = _market.Now.Ticks;
            s.PriceFresh = _priceFresh;
            s.Record = _inForce;
            s.Applied = _appliedRecords;
            s.Published = _publishedRecords;
            s.LogLast = _cluster.Log.LastIndex;
            s.LogCommit = _cluster.Log.CommitIndex;
            s.Rack = _rack.Reading;
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
            for (int i = 0; i < DropReasons.Length; i++)
            {
                s.Drops[i] = c.Dropped(DropReasons[i]);
            }
            s.TxErrors = _transport.SendErrors;
            s.QueueDrops = _transport.QueueDrops;
            s.Unroutable = _unroutable;
            s.LeaderChanges = _leaderChanges;
            s.Suspicions = m.Suspicions;
            s.Failures = m.Failures;
            s.ClusterMalformed = _cluster.Malformed;
            s.FirstHeartbeatUs = _firstHeartbeatUs;
            s.UpcomingHours = _upcomingHours;
            s.StalenessSeconds = _priceFresh || _inForce.IntervalEndMs == 0 ? 0 : Math.Max(0, (_cluster.UnixMs(nowUs) - _inForce.IntervalEndMs) / 1000.0);
        }
    }

    private HttpResponse Serve(string path) => path switch
    {
        "/metrics" => new HttpResponse(200, PrometheusWriter.ContentType, Metrics()),
        "/status" => new HttpResponse(200, "application/json; charset=utf-8", JsonSerializer.Serialize(Status(), StatusJsonContext.Default.NodeStatus)),
        "/" => new HttpResponse(200, "text/plain; charset=utf-8", "edgegov: /metrics /status\n"),
        _ => new HttpResponse(404, "text/plain; charset=utf-8", "not found: try /metrics or /status\n"),
    };

    private string Role(StateCopy s) => s.Coordinator ? "coordinator" : s.Voter ? "member" : "observer";

    /// <summary>The Prometheus exposition of this node.</summary>
    public string Metrics()
    {
        var w = new PrometheusWriter();
        lock (_stateLock)
        {
            StateCopy s = _state;
            w.Gauge("edgegov_up", "1 while the process serves.", 1);
            w.Gauge("edgegov_uptime_seconds", "Seconds since start.", s.UptimeSeconds);
            w.Gauge("edgegov_first_heartbeat_seconds", "Seconds from start to the first heartbeat sent (-1: none yet).", s.FirstHeartbeatUs < 0 ? -1 : s.FirstHeartbeatUs / 1e6);
            w.Gauge("edgegov_role", "Role of this node (1 for the current one).");
            foreach (string role in new[] { "coordinator", "member", "observer" })
            {
                w.Sample("edgegov_role", Role(s) == role ? 1 : 0, ("role", role));
            }
            w.Gauge("edgegov_is_coordinator", "1 when this node is the coordinator.", s.Coordinator ? 1 : 0);
            w.Gauge("edgegov_term", "Current term.", s.Term);
            w.Gauge("edgegov_coordinator_node", "Node id of the coordinator (0: none).", s.Leader);
            w.Gauge("edgegov_members", "Live members in this node's view, itself included.", s.MemberCount);
            w.Counter("edgegov_leader_changes_total", "Coordinator changes seen (elections and failovers).", s.LeaderChanges);
            w.Counter("edgegov_suspicions_total", "Members suspected after missed heartbeats.", s.Suspicions);
            w.Counter("edgegov_member_failures_total", "Members declared failed.", s.Failures);

            w.Gauge("edgegov_price_ct_per_kwh", "Price in force, eurocents per kWh (NaN when none).", s.PriceFresh ? s.Record.CentsPerKWh : double.NaN);
            w.Gauge("edgegov_price_fresh", "1 when a valid price is in force, 0 when the safe policy holds.", s.PriceFresh ? 1 : 0);
            w.Gauge("edgegov_price_staleness_seconds", "Seconds since the last price expired (0 while fresh).", s.StalenessSeconds);
            w.Counter("edgegov_prices_applied_total", "Price records applied by this node.", s.Applied);
            w.Counter("edgegov_prices_published_total", "Price records published by this node as coordinator.", s.Published);
            w.Gauge("edgegov_price_log_last_index", "Last index of the price log.", s.LogLast);
            w.Gauge("edgegov_price_log_commit_index", "Commit index of the price log.", s.LogCommit);
            w.Counter("edgegov_feed_accepted_total", "Feed records accepted.", _validator.Accepted);
            w.Counter("edgegov_feed_rejected_total", "Feed records rejected, by reason.");
            foreach (PriceRejection r in Rejections)
            {
                w.Sample("edgegov_feed_rejected_total", _validator.Rejected(r), ("reason", r.ToString()));
            }

            w.Gauge("edgegov_rack_power_watts", "Measured rack draw.", s.Rack.PowerWatts);
            w.Gauge("edgegov_rack_cap_watts", "Sum of programmed power caps.", s.Rack.CapWatts);
            w.Gauge("edgegov_rack_budget_watts", "PDU budget.", _rack.BudgetWatts);
            w.Gauge("edgegov_rack_max_temperature_celsius", "Hottest CPU.", s.Rack.MaxTemperatureC);
            w.Gauge("edgegov_rack_servers_on", "Servers powered on.", s.Rack.ServersOn);
            w.Counter("edgegov_envelope_actions_total", "Safety-envelope interventions (budget, thermal, fans).", s.Rack.EnvelopeActions);
            w.Counter("edgegov_hardware_errors_total", "Failed hardware reads and writes (counted; the loop carries on).", s.Rack.HardwareErrors);
            w.Counter("edgegov_bmc_errors_total", "BMC loop turns that failed (no answer, refused command, malformed reply).", s.Rack.Hardware.BmcErrors);
            w.Gauge("edgegov_bmcs_unreachable", "BMCs whose last turn failed (their servers keep the last accepted setting).", s.Rack.Hardware.BmcsUnreachable);
            w.Counter("edgegov_dcmi_limit_writes_total", "DCMI power limits set and activated.", s.Rack.Hardware.DcmiLimitWrites);
            w.Counter("edgegov_chassis_commands_total", "BMC chassis power commands sent.", s.Rack.Hardware.ChassisCommands);
            w.Counter("edgegov_relay_toggles_total", "Outlet relay changes.", s.Rack.Hardware.RelayToggles);
            w.Counter("edgegov_power_switch_refused_total", "Server power switches refused (relay dwell or toggle cap, protected server, BMC not answering).", s.Rack.Hardware.PowerRefused);
            w.Counter("edgegov_cpufreq_writes_total", "cpufreq policy limit writes (scaling_max_freq following the caps).", s.Rack.Hardware.CpufreqWrites);
            w.Counter("edgegov_energy_kwh_total", "Energy used since start (market time).", s.Rack.Kwh);
            w.Counter("edgegov_cost_eur_total", "Energy cost since start.", s.Rack.Eur);
            w.Counter("edgegov_co2_kg_total", "Emissions since start (0.429 kg/kWh).", s.Rack.KgCo2);
            w.Counter("edgegov_work_value_eur_total", "Value of the work done since start.", s.Rack.WorkValueEur);
            w.Counter("edgegov_server_off_hours_total", "Server-hours (market time) spent switched off by the governor.", s.Rack.OffServerHours);
            w.Counter("edgegov_power_cycles_total", "Power-offs and power-ons executed.", s.Rack.PowerOffs + s.Rack.PowerOns);
            w.Counter("edgegov_deferred_units_done_total", "Units of deferrable work done against queued jobs.", s.Rack.DeferredUnitsDone);
            w.Counter("edgegov_deadlines_missed_total", "Deferrable jobs with work left at their deadline.", s.Rack.DeadlinesMissed);
            w.Gauge("edgegov_price_upcoming_hours", "Hours ahead for which a published price is held (the governor's day-ahead).", s.UpcomingHours);

            w.Counter("edgegov_datagrams_sent_total", "Datagrams sent by the protocol.", s.DatagramsSent);
            w.Counter("edgegov_datagrams_received_total", "Datagrams handed to the protocol.", s.DatagramsReceived);
            w.Counter("edgegov_datagrams_accepted_total", "Datagrams that passed authentication and replay checks.", s.Accepted);
            w.Counter("edgegov_bytes_sent_total", "Bytes sent.", s.BytesSent);
            w.Counter("edgegov_bytes_received_total", "Bytes received.", s.BytesReceived);
            w.Counter("edgegov_heartbeats_sent_total", "Heartbeats sent.", s.Heartbeats);
            w.Counter("edgegov_nacks_sent_total", "NACKs sent.", s.Nacks);
            w.Counter("edgegov_repairs_sent_total", "Repairs sent.", s.Repairs);
            w.Counter("edgegov_retransmits_total", "Unicast retransmissions.", s.Retransmits);
            w.Counter("edgegov_multicast_delivered_total", "Multicast messages delivered in order.", s.Delivered);
            w.Gauge("edgegov_retained_messages", "Messages retained for repair.", s.Retained);
            w.Counter("edgegov_drops_total", "Datagrams dropped, by reason.");
            for (int i = 0; i < DropReasons.Length; i++)
            {
                if (DropReasons[i] != DropReason.None)
                {
                    w.Sample("edgegov_drops_total", s.Drops[i], ("reason", DropReasons[i].ToString()));
                }
            }
            w.Sample("edgegov_drops_total", s.QueueDrops, ("reason", "ReceiveQueueFull"));
            w.Sample("edgegov_drops_total", s.ClusterMalformed, ("reason", "ClusterMalformed"));
            w.Counter("edgegov_send_errors_total", "Socket send errors.", s.TxErrors);
            w.Counter("edgegov_unroutable_total", "Unicast sends to peers whose endpoint is not known yet.", s.Unroutable);
        }
        return w.ToString();
    }

    /// <summary>The /status document of this node.</summary>
    public NodeStatus Status()
    {
        lock (_stateLock)
        {
            StateCopy s = _state;
            var endpoints = _peersSnapshot;
            var members = new List<MemberStatus>();
            var seen = new HashSet<uint>();
            for (int i = 0; i < s.MemberCount; i++)
            {
                seen.Add(s.Members[i]);
                members.Add(new MemberStatus
                {
                    NodeId = s.Members[i],
                    Alive = s.MemberAlive[i],
                    Voter = Array.IndexOf(s.Roster, s.Members[i]) >= 0,
                    Endpoint = s.Members[i] == _config.NodeId ? _transport.LocalEndPoint.ToString() : endpoints.GetValueOrDefault(s.Members[i], ""),
                });
            }
            foreach (uint r in s.Roster)
            {
                if (seen.Add(r))
                {
                    members.Add(new MemberStatus { NodeId = r, Alive = false, Voter = true, Endpoint = endpoints.GetValueOrDefault(r, "") });
                }
            }
            members.Sort((a, b) => a.NodeId.CompareTo(b.NodeId));
            var c = CultureInfo.InvariantCulture;
            return new NodeStatus
            {
                NodeId = _config.NodeId,
                Incarnation = Incarnation,
                Role = Role(s),
                Term = s.Term,
                Coordinator = s.Leader,
                UptimeSeconds = Math.Round(s.UptimeSeconds, 3),
                MarketTime = new DateTime(s.MarketTicks).ToString("yyyy-MM-dd HH:mm:ss", c),
                Members = [.. members],
                Price = new PriceView
                {
                    Valid = s.PriceFresh,
                    CtPerKwh = s.PriceFresh ? s.Record.CentsPerKWh : 0,
                    IntervalStart = s.PriceFresh ? MarketAt(s.Record.IntervalStartMs).ToString("yyyy-MM-dd HH:mm", c) : "",
                    IntervalEnd = s.PriceFresh ? MarketAt(s.Record.IntervalEndMs).ToString("yyyy-MM-dd HH:mm", c) : "",
                    Term = s.Record.Term,
                    Index = s.Record.Index,
                    Applied = s.Applied,
                    UpcomingHours = s.UpcomingHours,
                    SafeReason = s.PriceFresh ? "" : s.Record.Index == 0 ? $"no price received yet; {_config.SafePolicy.Mode}" : $"price expired; {_config.SafePolicy.Mode}",
                },
                Rack = new RackStatus
                {
                    PowerWatts = Math.Round(s.Rack.PowerWatts, 1),
                    CapWatts = Math.Round(s.Rack.CapWatts, 1),
                    BudgetWatts = _rack.BudgetWatts,
                    MaxTemperatureC = Math.Round(s.Rack.MaxTemperatureC, 2),
                    ServersOn = s.Rack.ServersOn,
                    Servers = _rack.ServerCount,
                    EnvelopeActions = s.Rack.EnvelopeActions,
                },
                Accounting = new AccountingStatus
                {
                    Kwh = Math.Round(s.Rack.Kwh, 4),
                    Eur = Math.Round(s.Rack.Eur, 4),
                    KgCo2 = Math.Round(s.Rack.KgCo2, 4),
                    WorkValueEur = Math.Round(s.Rack.WorkValueEur, 4),
                    OffServerHours = Math.Round(s.Rack.OffServerHours, 3),
                    PowerCycles = s.Rack.PowerOffs + s.Rack.PowerOns,
                    DeferredUnitsDone = Math.Round(s.Rack.DeferredUnitsDone, 4),
                    DeferredUnitsReleased = Math.Round(s.Rack.DeferredUnitsReleased, 4),
                    DeadlinesMet = s.Rack.DeadlinesMet,
                    DeadlinesMissed = s.Rack.DeadlinesMissed,
                    PeakPriceCt = double.IsNaN(s.Rack.PeakPriceCt) ? 0 : Math.Round(s.Rack.PeakPriceCt, 3),
                    InteractiveCapAtPeakWatts = Math.Round(s.Rack.InteractiveCapAtPeakWatts, 1),
                    CheapestPriceCt = double.IsNaN(s.Rack.CheapestPriceCt) ? 0 : Math.Round(s.Rack.CheapestPriceCt, 3),
                    InteractiveCapAtCheapestWatts = Math.Round(s.Rack.InteractiveCapAtCheapestWatts, 1),
                },
                Counters = new Dictionary<string, long>
                {
                    ["datagramsSent"] = s.DatagramsSent,
                    ["datagramsReceived"] = s.DatagramsReceived,
                    ["datagramsAccepted"] = s.Accepted,
                    ["dropped"] = s.DroppedTotal,
                    ["droppedBadTag"] = s.Drops[(int)DropReason.BadTag],
                    ["droppedReplayed"] = s.Drops[(int)DropReason.Replayed],
                    ["nacksSent"] = s.Nacks,
                    ["repairsSent"] = s.Repairs,
                    ["leaderChanges"] = s.LeaderChanges,
                    ["pricesPublished"] = s.Published,
                    ["priceLogLastIndex"] = (long)s.LogLast,
                    ["priceLogCommitIndex"] = (long)s.LogCommit,
                    ["feedRejected"] = _validator.RejectedTotal,
                    ["receiveQueueDrops"] = s.QueueDrops,
                },
            };
        }
    }
}
