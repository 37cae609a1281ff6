namespace EdgeGovernor.Firmware.Tests.Cli;

/// <summary><c>--help</c> (or <c>-h</c>, or <c>help &lt;command&gt;</c>) prints the usage and exits 0 for every command of <c>edgegov</c>.</summary>
public sealed class HelpTests
{
    public static TheoryData<string[]> EveryCommand() => new()
    {
        { ["--help"] },
        { ["-h"] },
        { ["help"] },
        { ["run", "--help"] },
        { ["run", "-h"] },
        { ["run", "--config", "/nonexistent.json", "--help"] },
        { ["help", "run"] },
        { ["status", "--help"] },
        { ["status", "--url", "http://127.0.0.1:1/status", "-h"] },
        { ["demo", "--help"] },
        { ["demo", "--nodes", "3", "-h"] },
        { ["hw", "--help"] },
        { ["hw", "--config", "/nonexistent.json", "--help"] },
        { ["hw", "--config", "/nonexistent.json", "set-cap", "web-0", "200", "--help"] },
        { ["hw", "--config", "/nonexistent.json", "power", "web-0", "off", "-h"] },
        { ["keygen", "--help"] },
        { ["keygen", "--out", "/nonexistent/dir/key", "-h"] },
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Help_prints_the_usage_and_exits_0(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(Program.ExitOk, Program.Run(args, stdout, stderr));
        Assert.StartsWith("usage: edgegov <command>", stdout.ToString(), StringComparison.Ordinal);
        foreach (string command in new[] { "run --config", "status", "demo", "hw --config", "keygen --out" })
        {
            Assert.Contains("  " + command, stdout.ToString(), StringComparison.Ordinal);
        }
        Assert.Empty(stderr.ToString());
    }

    [Theory]
    [InlineData("run")]
    [InlineData("status")]
    [InlineData("demo")]
    [InlineData("hw")]
    [InlineData("keygen")]
    public void The_built_program_prints_the_usage_and_exits_0_for_each_command(string command)
    {
        (int code, string stdout, string stderr) = NodeProcess.RunToEnd(TimeSpan.FromSeconds(30), command, "--help");
        Assert.Equal(0, code);
        Assert.StartsWith("usage: edgegov <command>", stdout, StringComparison.Ordinal);
        Assert.Empty(stderr);
    }
}
