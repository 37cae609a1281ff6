using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>The Prometheus exposition (<c>/metrics</c>) of a <see cref="NodeSnapshot"/>.</summary>
internal static class NodeMetrics
{
    private static readonly PriceRejection[] Rejections = Enum.GetValues<PriceRejection>();

    /// <summary>The Prometheus exposition of this node.</summary>
    public static string Write(NodeSnapshot s)
    {
        var w = new PrometheusWriter();
        ArgumentNullException.ThrowIfNull(s);
        lock (s.SyncRoot)
        {
            w.Gauge("edgegov_up", "1 while the process serves.", 1);
            w.Gauge("edgegov_uptime_seconds", "Seconds since start.", s.UptimeSeconds);
            w.Gauge("edgegov_first_heartbeat_seconds", "Seconds from start to the first heartbeat sent (-1: none yet).", s.FirstHeartbeatUs < 0 ? -1 : s.FirstHeartbeatUs / 1e6);
            w.Gauge("edgegov_role", "Role of this node (1 for the current one).");
            foreach (string role in new[] { "coordinator", "member", "observer" })
            {
                w.Sample("edgegov_role", s.Role == role ? 1 : 0, ("role", role));
            }
            w.Gauge("edgegov_is_coordinator", "1 when this node is the coordinator.", s.Coordinator ? 1 : 0);
            w.Gauge("edgegov_term", "Current term.", s.Term);
            w.Gauge("edgegov_coordinator_node", "Node id of the coordinator (0: none).", s.Leader);
            w.Gauge("edgegov_members", "Live members in this node's view, itself included.", s.MemberCount);
            w.Counter("edgegov_leader_changes_total", "Coordinator changes seen (elections and failovers).", s.LeaderChanges);
            w.Counter("edgegov_suspicions_total", "Members suspected after missed heartbeats.", s.Suspicions);
            w.Counter("edgegov_terms_refused_total", "Terms refused because they jumped more than 65536 past the current one.", s.TermJumpsRefused);
            w.Counter("edgegov_stands_refused_at_term_ceiling_total", "Elections not stood in because the term reached its ceiling.", s.StandsRefusedAtTermCeiling);
            w.Counter("edgegov_announced_periods_clamped_total", "Heartbeat periods announced longer than 4 times this node's own, clamped.", s.AnnouncedPeriodsClamped);
            w.Counter("edgegov_member_failures_total", "Members declared failed.", s.Failures);

            w.Gauge("edgegov_price_ct_per_kwh", "Price in force, eurocents per kWh (NaN when none).", s.PriceFresh ? s.Record.CentsPerKWh : double.NaN);
            w.Gauge("edgegov_price_fresh", "1 when a valid price is in force, 0 when the safe policy holds.", s.PriceFresh ? 1 : 0);
            w.Gauge("edgegov_price_staleness_seconds", "Seconds since the last price expired (0 while fresh).", s.StalenessSeconds);
            w.Counter("edgegov_prices_applied_total", "Price records applied by this node.", s.Applied);
            w.Counter("edgegov_prices_published_total", "Price records published by this node as coordinator.", s.Published);
            w.Gauge("edgegov_price_log_last_index", "Last index of the price log.", s.LogLast);
            w.Gauge("edgegov_price_log_commit_index", "Commit index of the price log.", s.LogCommit);
            w.Counter("edgegov_feed_accepted_total", "Feed records accepted.", s.Feed.Accepted);
            w.Counter("edgegov_feed_rejected_total", "Feed records rejected, by reason.");
            foreach (PriceRejection r in Rejections)
            {
                w.Sample("edgegov_feed_rejected_total", s.Feed.Rejected(r), ("reason", r.ToString()));
            }

            w.Gauge("edgegov_rack_power_watts", "Measured rack draw.", s.Rack.PowerWatts);
            w.Gauge("edgegov_rack_cap_watts", "Sum of programmed power caps.", s.Rack.CapWatts);
            w.Gauge("edgegov_rack_budget_watts", "PDU budget.", s.BudgetWatts);
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
            w.Gauge("edgegov_safe_policy_held", "1 while a maintenance/alarm input holds the rack at its safe policy.", s.Rack.SafePolicyHeld ? 1 : 0);
            if (s.Rack.Inputs is { } inputs)
            {
                w.Gauge("edgegov_fan_tachometer_rpm", "Fan speed from a GPIO tachometer (edges / pulses per revolution).");
                foreach (Control.FanTachometer t in inputs.Tachometers)
                {
                    w.Sample("edgegov_fan_tachometer_rpm", t.Rpm, ("name", t.Name));
                }

                w.Counter("edgegov_fan_tachometer_edges_total", "Rising edges counted on a GPIO tachometer line.");
                foreach (Control.FanTachometer t in inputs.Tachometers)
                {
                    w.Sample("edgegov_fan_tachometer_edges_total", t.Edges, ("name", t.Name));
                }

                w.Gauge("edgegov_alarm_input_asserted", "1 while a maintenance/alarm input line is asserted.");
                foreach (Control.AlarmInput a in inputs.Alarms)
                {
                    w.Sample("edgegov_alarm_input_asserted", a.Asserted ? 1 : 0, ("name", a.Name));
                }

                w.Counter("edgegov_alarm_input_assertions_total", "Times a maintenance/alarm input line became asserted.");
                foreach (Control.AlarmInput a in inputs.Alarms)
                {
                    w.Sample("edgegov_alarm_input_assertions_total", a.Assertions, ("name", a.Name));
                }
            }

            w.Counter("edgegov_cpufreq_writes_total", "cpufreq policy limit writes (scaling_max_freq following the caps).", s.Rack.Hardware.CpufreqWrites);
            w.Counter("edgegov_restore_refused_total", "State-file entries refused at restore as invalid (outside sysfs, value not in its format) and removed.", s.Rack.Hardware.RestoreRefused);
            w.Counter("edgegov_energy_kwh_total", "Energy used since start (market time).", s.Rack.Kwh);
            w.Counter("edgegov_cost_eur_total", "Energy cost since start.", s.Rack.Eur);
            w.Counter("edgegov_co2_kg_total", "Emissions since start (at the carbon intensity in force).", s.Rack.KgCo2);
            w.Gauge("edgegov_carbon_intensity_kg_per_kwh", "Grid carbon intensity in force (carbon series, else the fixed default).", s.CarbonKgPerKwh);
            w.Counter("edgegov_work_value_eur_total", "Value of the work done since start.", s.Rack.WorkValueEur);
            w.Counter("edgegov_server_off_hours_total", "Server-hours (market time) spent switched off by the governor.", s.Rack.OffServerHours);
            w.Counter("edgegov_power_cycles_total", "Power-offs and power-ons executed.", s.Rack.PowerOffs + s.Rack.PowerOns);
            w.Counter("edgegov_deferred_units_done_total", "Units of deferrable work done against queued jobs.", s.Rack.DeferredUnitsDone);
            w.Counter("edgegov_deadlines_missed_total", "Deferrable jobs with work left at their deadline.", s.Rack.DeadlinesMissed);
            w.Gauge("edgegov_market_interval_seconds", "Length of one market interval the rack plans at (market.intervalMinutes).", s.IntervalMinutes * 60);
            w.Gauge("edgegov_market_interval_start_seconds", "Start of the current market interval, market time as Unix seconds (NaN before the first step).",
                s.IntervalStartTicks < 0 ? double.NaN : (s.IntervalStartTicks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond);
            w.Counter("edgegov_intervals_decided_total", "Market interval boundaries the controller decided at (the first step counts as one).", s.IntervalsDecided);
            w.Counter("edgegov_intervals_closed_total", "Market intervals closed in the energy ledger.", s.IntervalsClosed);
            w.Gauge("edgegov_last_interval_energy_kwh", "Energy of the market interval closed last.", s.LastIntervalKwh);
            w.Gauge("edgegov_last_interval_cost_eur", "Energy cost of the market interval closed last.", s.LastIntervalEur);
            w.Gauge("edgegov_last_interval_co2_kg", "Emissions of the market interval closed last.", s.LastIntervalKgCo2);
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
            for (int i = 0; i < NodeSnapshot.DropReasons.Length; i++)
            {
                if (NodeSnapshot.DropReasons[i] != DropReason.None)
                {
                    w.Sample("edgegov_drops_total", s.Drops[i], ("reason", NodeSnapshot.DropReasons[i].ToString()));
                }
            }
            w.Sample("edgegov_drops_total", s.QueueDrops, ("reason", "ReceiveQueueFull"));
            w.Sample("edgegov_drops_total", s.ClusterMalformed, ("reason", "ClusterMalformed"));
            w.Sample("edgegov_drops_total", s.Oversized, ("reason", "Oversized"));
            w.Counter("edgegov_price_records_ignored_total", "Price records held but ignored: interval outside the market clock or longer than 7 days.", s.PricesIgnored);
            w.Counter("edgegov_feed_polls_abandoned_total", "Feed polls abandoned at their deadline (pollSeconds clamped to 1..10 s; headers and body).", s.FeedPollsAbandoned);
            w.Counter("edgegov_handler_faults_total", "Inputs dropped because handling them threw, by boundary.");
            w.Sample("edgegov_handler_faults_total", s.Faults?.Datagram ?? 0, ("where", "datagram"));
            w.Sample("edgegov_handler_faults_total", s.Faults?.Feed ?? 0, ("where", "feed"));
            w.Sample("edgegov_handler_faults_total", s.Faults?.Http ?? 0, ("where", "http"));
            w.Counter("edgegov_send_errors_total", "Socket send errors.", s.TxErrors);
            w.Counter("edgegov_unroutable_total", "Unicast sends to peers whose endpoint is not known yet.", s.Unroutable);
            ContractMetrics.Write(w, s.Contracts, s.ContractJournal);
        }
        return w.ToString();
    }
}
