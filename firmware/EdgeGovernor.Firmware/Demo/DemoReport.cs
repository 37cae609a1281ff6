using System.Globalization;
using System.Text;
using EdgeGovernor.Firmware.Cli;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Demo;

/// <summary>What the demo prints: the live view, the plain progress line and the summary with its verdict.</summary>
internal static class DemoReport
{
    internal static string View(List<DemoNode> nodes, Dictionary<uint, NodeStatus> last, DemoNode? killed, List<string> events, DemoCommand command)
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        NodeStatus? any = nodes.Where(n => n != killed && last.ContainsKey(n.Id)).Select(n => last[n.Id]).FirstOrDefault();
        b.Append("EdgeGovernor demo - ").Append(command.Nodes).Append(" boards on loopback multicast, one market day in ")
            .Append(command.DurationSeconds.ToString("0", c)).Append(" s\n\n");
        if (any is not null)
        {
            b.Append(c, $"market time {any.MarketTime}   coordinator {(any.Coordinator == 0 ? "-" : "node " + any.Coordinator)}   term {any.Term}   ");
            b.Append(any.Price.Valid ? string.Create(c, $"price {any.Price.CtPerKwh,7:0.000} ct/kWh ({any.Price.IntervalStart[^5..]}-{any.Price.IntervalEnd[^5..]})") : "price: none (safe policy)");
            b.Append("\n\n");
        }
        b.Append("node  role          term   price ct/kWh   power W    cap W   on      kWh      EUR      kg CO2   applied\n");
        double kwh = 0, eur = 0, co2 = 0;
        foreach (DemoNode n in nodes)
        {
            if (!last.TryGetValue(n.Id, out NodeStatus? s))
            {
                b.Append(c, $"{n.Id,4}  starting\n");
                continue;
            }
            string role = n == killed ? "KILLED" : s.Role;
            b.Append(c, $"{n.Id,4}  {role,-12} {s.Term,5}   {(s.Price.Valid ? s.Price.CtPerKwh.ToString("0.000", c) : "safe"),12}   {s.Rack.PowerWatts,7:0}  {s.Rack.CapWatts,7:0}  {s.Rack.ServersOn,2}/{s.Rack.Servers,-2}  {s.Accounting.Kwh,7:0.00}  {s.Accounting.Eur,7:0.000}  {s.Accounting.KgCo2,7:0.00}   {s.Price.Applied,5}\n");
            kwh += s.Accounting.Kwh;
            eur += s.Accounting.Eur;
            co2 += s.Accounting.KgCo2;
        }
        b.Append(c, $"\ncluster total                                                        {kwh,7:0.00}  {eur,7:0.000}  {co2,7:0.00}\n\n");
        foreach (string e in events)
        {
            b.Append("* ").Append(e).Append('\n');
        }
        return b.ToString();
    }

    internal static string PlainLine(List<NodeStatus> alive)
    {
        var c = CultureInfo.InvariantCulture;
        NodeStatus? any = alive.FirstOrDefault();
        if (any is null)
        {
            return "waiting for the nodes...\n";
        }
        var b = new StringBuilder();
        b.Append(c, $"[{any.MarketTime}] coordinator {any.Coordinator} term {any.Term} price {(any.Price.Valid ? any.Price.CtPerKwh.ToString("0.000", c) + " ct/kWh" : "none")} |");
        foreach (NodeStatus s in alive.OrderBy(s => s.NodeId))
        {
            b.Append(c, $" n{s.NodeId}:{s.Rack.PowerWatts:0}W/{s.Rack.CapWatts:0}W/{s.Rack.ServersOn}on");
        }
        b.Append(c, $" | {alive.Sum(s => s.Accounting.Kwh):0.0} kWh {alive.Sum(s => s.Accounting.Eur):0.00} EUR {alive.Sum(s => s.Accounting.KgCo2):0.0} kg CO2\n");
        return b.ToString();
    }

    internal static string Summary(List<DemoNode> nodes, Dictionary<uint, NodeStatus> last, DemoNode? killed, uint before, uint after, double? failoverMs,
        (int Count, double P50, double P99, int Batched) propagation, bool exitedCleanly, bool ok)
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder("summary (per rack: energy, cost at the price in force, CO2 at 0.429 kg/kWh, value of the work done, net = value - cost)\n");
        b.Append("  rack                kWh      EUR   kg CO2  work EUR   net EUR  off srv-h offs+ons  batch done/released  deadlines met/missed  interactive cap: at peak / at cheapest\n");
        double kwh = 0, eur = 0, co2 = 0, value = 0, off = 0;
        foreach (DemoNode n in nodes)
        {
            if (!last.TryGetValue(n.Id, out NodeStatus? s))
            {
                continue;
            }
            AccountingStatus a = s.Accounting;
            string name = $"node {n.Id}{(n == killed ? " (killed)" : "")}";
            b.Append(c, $"  {name,-16} {a.Kwh,7:0.00} {a.Eur,8:0.000} {a.KgCo2,8:0.00} {a.WorkValueEur,9:0.000} {a.WorkValueEur - a.Eur,9:0.000} {a.OffServerHours,10:0.0} {a.PowerCycles,7}")
                .Append(c, $"  {a.DeferredUnitsDone,9:0.0} / {a.DeferredUnitsReleased,-7:0.0}  {a.DeadlinesMet,9} / {a.DeadlinesMissed,-8}")
                .Append(c, $"  {a.InteractiveCapAtPeakWatts,5:0} W @ {a.PeakPriceCt:0.0} ct / {a.InteractiveCapAtCheapestWatts:0} W @ {a.CheapestPriceCt:0.0} ct\n");
            kwh += a.Kwh;
            eur += a.Eur;
            co2 += a.KgCo2;
            value += a.WorkValueEur;
            off += a.OffServerHours;
        }
        b.Append(c, $"  {"cluster",-16} {kwh,7:0.00} {eur,8:0.000} {co2,8:0.00} {value,9:0.000} {value - eur,9:0.000} {off,10:0.0}\n");
        foreach (DemoNode n in nodes)
        {
            if (last.TryGetValue(n.Id, out NodeStatus? s))
            {
                b.Append(c, $"  node {n.Id}: {s.Price.Applied} prices applied\n");
            }
        }
        b.Append(failoverMs is double f
            ? string.Create(c, $"  failover: node {before} killed, node {after} took over; all survivors held the new term's price record within {f:0} ms (status polled every 250 ms)\n")
            : $"  failover: NOT observed (coordinator before: {before})\n");
        if (propagation.Count > 0)
        {
            b.Append(c, $"  price propagation (coordinator publishes -> every node holds it, from the nodes' logs): {propagation.Count} records, p50 {propagation.P50:0.0} ms, p99 {propagation.P99:0.0} ms")
                .Append(c, $"{(propagation.Batched > 0 ? $" (the start-up day-ahead batch of {propagation.Batched} records not counted)" : "")}\n");
        }
        b.Append(exitedCleanly ? "  every surviving node stopped cleanly on SIGTERM\n" : "  some node did not stop cleanly on SIGTERM\n");
        b.Append(ok ? "demo: OK\n" : "demo: FAILED\n");
        return b.ToString();
    }
}
