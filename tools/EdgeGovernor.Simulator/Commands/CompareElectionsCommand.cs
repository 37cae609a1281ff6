using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Simulator.Cluster;

namespace EdgeGovernor.Simulator.Commands;

/// <summary>
/// <c>compare-elections [--nodes 5,50,400,1000,9383] [--seed N] [--json]</c>: per cluster size, the datagrams sent and
/// per-recipient deliveries of one election: EdgeGovernor failover with alternates, EdgeGovernor cold election,
/// Bully (best and worst case), plain Raft (ranking and alternates off; cold and failover), and PARMCEA's formula
/// 2K + n - 1, plus the PARMCEA paper's setup (9383 VMs, random utilizations, 20 % / 70 %).
/// </summary>
internal static class CompareElectionsCommand
{
    private static readonly int[] DefaultNodes = [5, 50, 400, 1000, 9383];

    /// <summary>The command's usage line.</summary>
    public const string Usage = "usage: compare-elections [--nodes 5,50,...] [--seed N] [--json]";

    public static int Execute(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        int[] sizes = DefaultNodes;
        bool json = false;
        ulong seed = 1;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json":
                    json = true;
                    break;
                case "--nodes":
                    sizes = i + 1 < args.Length ? ParseSizes(args[++i]) : throw new CommandLineException("--nodes needs a list such as 5,50,400");
                    break;
                case "--seed":
                    if (i + 1 >= args.Length || !ulong.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out seed))
                    {
                        throw new CommandLineException("--seed needs a non-negative integer");
                    }

                    break;
                default:
                    throw new CommandLineException($"compare-elections: unexpected argument '{args[i]}' ({Usage})");
            }
        }

        var rows = new List<Row>();
        foreach (int n in sizes)
        {
            var edge = new ElectionBench(n, new ElectionOptions(), seed);
            ElectionCost failover = edge.Failover();
            var coldBench = new ElectionBench(n, new ElectionOptions(), seed);
            ElectionCost cold = coldBench.ColdElection();
            ElectionCost raftCold = new ElectionBench(n, ElectionOptions.PlainRaft, seed).ColdElection();
            ElectionCost raftFailover = new ElectionBench(n, ElectionOptions.PlainRaft, seed).Failover();
            int k = edge.Eligible;
            rows.Add(new Row(n, k, "edgegovernor-failover-alternates", failover));
            rows.Add(new Row(n, k, "edgegovernor-cold-election", cold));
            rows.Add(new Row(n, k, "raft-plain-failover", raftFailover));
            rows.Add(new Row(n, k, "raft-plain-cold-election", raftCold));
            if (n >= 3)
            {
                rows.Add(new Row(n, k, "bully-best", ElectionBench.Bully(n, n - 1)));
                rows.Add(new Row(n, k, "bully-worst", ElectionBench.Bully(n, 1)));
            }

            long formula = ElectionBench.ParmceaFormula(k, n);
            rows.Add(new Row(n, k, "parmcea-formula-2k+n-1", new ElectionCost(formula, formula, 0, true)));
        }

        if (json)
        {
            WriteJson(stdout, rows, seed);
        }
        else
        {
            WriteText(stdout, rows, seed);
        }

        return 0;
    }

    private static int[] ParseSizes(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new CommandLineException("--nodes needs at least one size");
        }

        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 3 || sizes[i] > 20_000)
            {
                throw new CommandLineException($"--nodes: '{parts[i]}' is not a size between 3 and 20000");
            }
        }

        return sizes;
    }

    private static void WriteText(TextWriter w, List<Row> rows, ulong seed)
    {
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Election cost on a loss-free network (latency 0.5-1.5 ms), seed {seed}; utilizations uniform 0-100 %, PARMCEA thresholds 20 %/70 %."));
        w.WriteLine("Counted: (pre-)vote requests (1 multicast each), responses (unicast), the new coordinator's announcement; Bully: every unicast.");
        w.WriteLine("Time: EdgeGovernor and Raft failovers include failure detection (coordinator timeout 300 ms); Bully starts at detection (10 ms answer timeout).");
        w.WriteLine();
        w.WriteLine($"{"n",6} {"eligible",8}  {"algorithm",-34} {"datagrams",12} {"deliveries",12} {"time ms",10}");
        foreach (Row r in rows)
        {
            string time = r.Name.StartsWith("parmcea", StringComparison.Ordinal) ? "-" : (r.Cost.DurationUs / 1e3).ToString("F1", CultureInfo.InvariantCulture);
            string done = r.Cost.Completed ? "" : " (no agreement within the limit)";
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.N,6} {r.Eligible,8}  {r.Name,-34} {r.Cost.Datagrams,12} {r.Cost.Deliveries,12} {time,10}{done}"));
        }

        Row? paper = rows.FirstOrDefault(r => r.N == 9383);
        if (paper is not null)
        {
            w.WriteLine();
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"PARMCEA paper setup (9383 VMs on 400 servers, random utilizations, 20 %/70 %): {paper.Eligible} eligible here (uniform utilizations put about half in the band); the paper reports about 900 eligible VMs and about 1,000 messages for PARMCEA against 5.3 million for Bully."));
            Row bully = rows.First(r => r.N == 9383 && r.Name == "bully-worst");
            Row edge = rows.First(r => r.N == 9383 && r.Name == "edgegovernor-failover-alternates");
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Here at n = 9383: EdgeGovernor failover {edge.Cost.Datagrams} datagrams / {edge.Cost.Deliveries} deliveries; Bully worst case {bully.Cost.Datagrams} messages; 2K + n - 1 = {ElectionBench.ParmceaFormula(paper.Eligible, 9383)} (with the paper's K = 900: {ElectionBench.ParmceaFormula(900, 9383)})."));
        }
    }

    private static void WriteJson(TextWriter w, List<Row> rows, ulong seed)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("seed", seed);
            json.WriteStartArray("results");
            foreach (Row r in rows)
            {
                json.WriteStartObject();
                json.WriteNumber("nodes", r.N);
                json.WriteNumber("eligible", r.Eligible);
                json.WriteString("algorithm", r.Name);
                json.WriteNumber("datagrams", r.Cost.Datagrams);
                json.WriteNumber("deliveries", r.Cost.Deliveries);
                json.WriteNumber("time_ms", r.Cost.DurationUs / 1e3);
                json.WriteBoolean("completed", r.Cost.Completed);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        w.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private sealed record Row(int N, int Eligible, string Name, ElectionCost Cost);
}
