using System.Text.Json;
using EdgeGovernor.Simulator.Commands;

namespace EdgeGovernor.Simulator.Tests.Commands;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegov-sim-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string json)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Json_output_has_every_required_figure_and_the_seed_override()
    {
        string file = Write("small.json", """
            { "nodes": 5, "duration_seconds": 4, "network": { "loss": 0.1, "duplicate": 0.05, "reorder": 0.1, "reorder_delay_us": 3000 },
              "traffic": { "publishers": "0-1", "rate_per_second": 20, "start_seconds": 1, "stop_seconds": 2 } }
            """);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = RunCommand.Execute([file, "--seed", "42", "--json"], stdout, stderr);
        Assert.Equal("", stderr.ToString());
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(stdout.ToString());
        JsonElement root = doc.RootElement;
        foreach (string field in new[]
        {
            "nodes", "seed", "simulated_seconds", "wall_seconds", "datagrams_sent", "bytes_sent", "messages_published",
            "messages_delivered", "expected_deliveries", "nacks_sent", "repairs_sent", "nacks_per_loss_event",
            "max_retention_per_node", "safety_violations", "loss_events", "trace_hash",
        })
        {
            Assert.True(root.TryGetProperty(field, out _), $"missing {field}");
        }

        Assert.Equal(5, root.GetProperty("nodes").GetInt32());
        Assert.Equal(42UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(4.0, root.GetProperty("simulated_seconds").GetDouble());
        Assert.Equal(0, root.GetProperty("safety_violations").GetInt64());
        Assert.True(root.GetProperty("messages_published").GetInt64() > 20);
        Assert.Equal(root.GetProperty("expected_deliveries").GetInt64(), root.GetProperty("messages_delivered").GetInt64());
    }

    [Fact]
    public void Text_summary_is_readable()
    {
        string file = Write("tiny.json", """{ "nodes": 3, "duration_seconds": 2, "traffic": { "publishers": "0", "start_seconds": 0.5, "stop_seconds": 1 } }""");
        var stdout = new StringWriter();
        Assert.Equal(0, RunCommand.Execute([file], stdout, new StringWriter()));
        string text = stdout.ToString();
        Assert.Contains("scenario tiny: 3 nodes, seed 1", text, StringComparison.Ordinal);
        Assert.Contains("safety violations: 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_scenario_and_bad_arguments_are_reported()
    {
        string file = Write("bad.json", """{ "nodes": 3, "duration_seconds": 2, "network": { "loss": 2 } }""");
        var stderr = new StringWriter();
        Assert.Equal(2, RunCommand.Execute([file], new StringWriter(), stderr));
        Assert.Contains("network.loss", stderr.ToString(), StringComparison.Ordinal);
        Assert.Throws<CommandLineException>(() => RunCommand.Execute([], new StringWriter(), new StringWriter()));
        Assert.Throws<CommandLineException>(() => RunCommand.Execute([file, "--seed", "x"], new StringWriter(), new StringWriter()));
        Assert.Throws<CommandLineException>(() => RunCommand.Execute([file, "--frobnicate"], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void Trace_files_of_two_runs_with_one_seed_are_identical()
    {
        string file = Write("traced.json", """
            { "nodes": 4, "duration_seconds": 3, "network": { "loss": 0.2, "duplicate": 0.1, "reorder": 0.2, "reorder_delay_us": 4000 },
              "traffic": { "publishers": "all", "rate_per_second": 30, "start_seconds": 0.5, "stop_seconds": 2 } }
            """);
        string a = Path.Combine(_dir, "a.log"), b = Path.Combine(_dir, "b.log"), c = Path.Combine(_dir, "c.log");
        RunCommand.Execute([file, "--seed", "5", "--trace", a], new StringWriter(), new StringWriter());
        RunCommand.Execute([file, "--seed", "5", "--trace", b], new StringWriter(), new StringWriter());
        RunCommand.Execute([file, "--seed", "6", "--trace", c], new StringWriter(), new StringWriter());
        string[] first = File.ReadAllLines(a);
        Assert.True(first.Length > 1_000, $"{first.Length} events");
        Assert.Equal(first, File.ReadAllLines(b));
        Assert.NotEqual(first, File.ReadAllLines(c));
    }
}
