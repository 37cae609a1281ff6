using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeGovernor.Simulator.Checkers;
using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Reporting;

/// <summary>
/// The figures of one finished run, as one JSON object (<c>--json</c>) or a readable summary.
/// Written with <see cref="Utf8JsonWriter"/> (no reflection) so that every checker can add its
/// own figures after the core ones.
/// </summary>
public sealed class RunReport
{
    private readonly Simulation _simulation;

    /// <summary>Collects the report of a finished simulation.</summary>
    public RunReport(string scenario, Simulation simulation, double wallSeconds, int retentionFloor)
    {
        Scenario = scenario;
        _simulation = simulation;
        WallSeconds = wallSeconds;
        RetentionFloor = retentionFloor;
        StreamDeliveryChecker? stream = simulation.Checkers.OfType<StreamDeliveryChecker>().FirstOrDefault();
        MessagesDelivered = stream?.MessagesDelivered ?? 0;
        ExpectedDeliveries = stream?.ExpectedDeliveries ?? 0;
        SafetyViolations = simulation.Checkers.Sum(c => c.Violations);
    }

    /// <summary>The scenario's name.</summary>
    public string Scenario { get; }

    /// <summary>Wall-clock seconds the run took.</summary>
    public double WallSeconds { get; }

    /// <summary>What a node retains at rest.</summary>
    public int RetentionFloor { get; }

    /// <summary>The engine's counts.</summary>
    public SimulationStats Stats => _simulation.Stats;

    /// <summary>Required deliveries that happened (guarantee 2).</summary>
    public long MessagesDelivered { get; }

    /// <summary>Required deliveries at the live members at the end.</summary>
    public long ExpectedDeliveries { get; }

    /// <summary>Breaches found by all checkers.</summary>
    public long SafetyViolations { get; }

    /// <summary>NACK datagrams per loss event (see <see cref="SimulationStats.LossEvents"/>); 0 when nothing was lost.</summary>
    public double NacksPerLossEvent => Stats.LossEvents == 0 ? 0 : (double)Stats.NacksSent / Stats.LossEvents;

    /// <summary>Repair datagrams per loss event.</summary>
    public double RepairsPerLossEvent => Stats.LossEvents == 0 ? 0 : (double)Stats.RepairsSent / Stats.LossEvents;

    /// <summary>The report as one indented JSON object.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            WriteJson(json);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the report as one JSON object.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        SimulationStats s = Stats;
        SimulationConfig c = _simulation.Config;
        json.WriteStartObject();
        json.WriteString("scenario", Scenario);
        json.WriteNumber("nodes", c.NodeCount);
        json.WriteNumber("seed", c.Seed);
        json.WriteNumber("simulated_seconds", _simulation.NowUs / 1e6);
        json.WriteNumber("wall_seconds", Math.Round(WallSeconds, 3));
        json.WriteNumber("events", s.EventsProcessed);
        json.WriteNumber("datagrams_sent", s.DatagramsSent);
        json.WriteNumber("bytes_sent", s.BytesSent);
        json.WriteNumber("datagrams_arrived", s.DatagramsArrived);
        json.WriteNumber("messages_published", s.MessagesPublished);
        json.WriteNumber("publish_refused", s.PublishRefused);
        json.WriteNumber("messages_delivered", MessagesDelivered);
        json.WriteNumber("expected_deliveries", ExpectedDeliveries);
        json.WriteNumber("data_sent", s.DataSent);
        json.WriteNumber("nacks_sent", s.NacksSent);
        json.WriteNumber("repairs_sent", s.RepairsSent);
        json.WriteNumber("control_sent", s.ControlSent);
        json.WriteNumber("loss_events", s.LossEvents);
        json.WriteNumber("receiver_misses", s.ReceiverMisses);
        json.WriteNumber("nacks_per_loss_event", Math.Round(NacksPerLossEvent, 4));
        json.WriteNumber("repairs_per_loss_event", Math.Round(RepairsPerLossEvent, 4));
        json.WriteNumber("max_retention_per_node", s.MaxRetentionPerNode);
        json.WriteNumber("final_max_retention", s.FinalMaxRetention);
        json.WriteNumber("retention_floor", RetentionFloor);
        json.WriteNumber("safety_violations", SafetyViolations);
        json.WriteStartObject("network");
        json.WriteNumber("lost_at_sender", s.LostAtSender);
        json.WriteNumber("lost_at_receiver", s.LostAtReceiver);
        json.WriteNumber("blocked_by_partition", s.BlockedByPartition);
        json.WriteNumber("duplicated", s.Duplicated);
        json.WriteNumber("arrived_at_crashed_node", s.ArrivedAtCrashedNode);
        json.WriteNumber("unknown_destination", s.UnknownDestination);
        json.WriteEndObject();
        json.WriteNumber("crashes", s.Crashes);
        json.WriteNumber("restarts", s.Restarts);
        json.WriteString("trace_hash", _simulation.TraceHash.ToString("x16", CultureInfo.InvariantCulture));
        json.WriteStartObject("violations_by_checker");
        foreach (SimulationChecker checker in _simulation.Checkers)
        {
            json.WriteNumber(checker.Name, checker.Violations);
        }

        json.WriteEndObject();
        json.WriteStartArray("violation_samples");
        foreach (SimulationChecker checker in _simulation.Checkers)
        {
            foreach (string sample in checker.Samples)
            {
                json.WriteStringValue(sample);
            }
        }

        json.WriteEndArray();
        foreach (SimulationChecker checker in _simulation.Checkers)
        {
            checker.WriteFigures(json);
        }

        json.WriteEndObject();
    }

    /// <summary>Writes a readable summary.</summary>
    public void WriteText(TextWriter w)
    {
        SimulationStats s = Stats;
        SimulationConfig c = _simulation.Config;
        IFormatProvider inv = CultureInfo.InvariantCulture;
        w.WriteLine(string.Format(inv, "scenario {0}: {1} nodes, seed {2}, {3:F1} simulated s in {4:F2} wall s ({5:N0} events)",
            Scenario, c.NodeCount, c.Seed, _simulation.NowUs / 1e6, WallSeconds, s.EventsProcessed));
        w.WriteLine(string.Format(inv, "  traffic: {0:N0} published ({1:N0} refused by a full window), {2:N0}/{3:N0} required deliveries",
            s.MessagesPublished, s.PublishRefused, MessagesDelivered, ExpectedDeliveries));
        w.WriteLine(string.Format(inv, "  network: {0:N0} datagrams ({1:N0} bytes) sent: {2:N0} data, {3:N0} repairs, {4:N0} NACKs, {5:N0} control",
            s.DatagramsSent, s.BytesSent, s.DataSent, s.RepairsSent, s.NacksSent, s.ControlSent));
        w.WriteLine(string.Format(inv, "  losses: {0:N0} at sender, {1:N0} at receivers, {2:N0} blocked, {3:N0} duplicated; {4:N0} loss events ({5:N0} receiver misses)",
            s.LostAtSender, s.LostAtReceiver, s.BlockedByPartition, s.Duplicated, s.LossEvents, s.ReceiverMisses));
        w.WriteLine(string.Format(inv, "  NACKs per loss event {0:F3}, repairs per loss event {1:F3}", NacksPerLossEvent, RepairsPerLossEvent));
        w.WriteLine(string.Format(inv, "  retention: max {0} per node, {1} at the end (floor {2})", s.MaxRetentionPerNode, s.FinalMaxRetention, RetentionFloor));
        w.WriteLine(string.Format(inv, "  faults: {0} crashes, {1} restarts", s.Crashes, s.Restarts));
        foreach (SimulationChecker checker in _simulation.Checkers)
        {
            checker.WriteSummary(w);
        }

        w.WriteLine(string.Format(inv, "  safety violations: {0}", SafetyViolations));
        foreach (SimulationChecker checker in _simulation.Checkers)
        {
            foreach (string sample in checker.Samples)
            {
                w.WriteLine("    " + sample);
            }
        }

        w.WriteLine(string.Format(inv, "  trace hash {0:x16}", _simulation.TraceHash));
    }
}
