using EdgeGovernor.Firmware.Cli;

namespace EdgeGovernor.Firmware.Tests.Cli;

public sealed class CliTests
{
    [Fact]
    public void Run_needs_config()
    {
        Assert.Equal(new RunCommand("a.json"), CommandLine.Parse(["run", "--config", "a.json"]));
        Assert.Equal(new RunCommand("a.json"), CommandLine.Parse(["run", "--config=a.json"]));
        Assert.Contains("--config <file> is required", Assert.Throws<CliException>(() => CommandLine.Parse(["run"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_defaults_to_loopback()
    {
        var s = Assert.IsType<StatusCommand>(CommandLine.Parse(["status"]));
        Assert.Equal(new Uri(CommandLine.DefaultStatusUrl), s.Url);
        Assert.False(s.Json);
        s = Assert.IsType<StatusCommand>(CommandLine.Parse(["status", "--url", "http://127.0.0.1:1234/status", "--json"]));
        Assert.Equal(1234, s.Url.Port);
        Assert.True(s.Json);
    }

    [Fact]
    public void Demo_options()
    {
        var d = Assert.IsType<DemoCommand>(CommandLine.Parse(["demo"]));
        Assert.Equal(new DemoCommand(null, 5, 60, 42, false), d);
        d = Assert.IsType<DemoCommand>(CommandLine.Parse(["demo", "--nodes", "3", "--duration", "20", "--seed", "7", "--plain"]));
        Assert.Equal(new DemoCommand(null, 3, 20, 7, true), d);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("run", "--help")]
    [InlineData("demo", "-h")]
    public void Help(params string[] args) => Assert.IsType<HelpCommand>(CommandLine.Parse(args));

    [Theory]
    [InlineData(new string[] { }, "no command")]
    [InlineData(new string[] { "fly" }, "unknown command 'fly'")]
    [InlineData(new string[] { "run", "--config" }, "--config needs a value")]
    [InlineData(new string[] { "run", "--config", "a", "--config", "b" }, "more than once")]
    [InlineData(new string[] { "run", "--config", "a", "--verbose" }, "unknown option '--verbose'")]
    [InlineData(new string[] { "run", "a.json" }, "unexpected argument 'a.json'")]
    [InlineData(new string[] { "status", "--url", "ftp://x/" }, "not an absolute http:// URL")]
    [InlineData(new string[] { "status", "--url", "nope" }, "not an absolute http:// URL")]
    [InlineData(new string[] { "status", "--json=1" }, "--json takes no value")]
    [InlineData(new string[] { "demo", "--nodes", "2" }, "--nodes must be a whole number from 3 to 9")]
    [InlineData(new string[] { "demo", "--nodes", "five" }, "--nodes must be a whole number")]
    [InlineData(new string[] { "demo", "--duration", "NaN" }, "--duration must be a number")]
    [InlineData(new string[] { "demo", "--seed", "-1" }, "--seed must be a non-negative whole number")]
    [InlineData(new string[] { "demo", "--prices", "/nonexistent.csv" }, "does not exist")]
    [InlineData(new string[] { "demo", "--prices=" }, "non-empty value")]
    public void Bad_arguments_give_a_clear_error(string[] args, string expected)
    {
        var e = Assert.Throws<CliException>(() => CommandLine.Parse(args));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[] { }, 2)]
    [InlineData(new string[] { "fly" }, 2)]
    [InlineData(new string[] { "demo", "--nodes", "99" }, 2)]
    [InlineData(new string[] { "--help" }, 0)]
    public void Exit_codes(string[] args, int code)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(code, Program.Run(args, stdout, stderr));
        if (code == 2)
        {
            Assert.StartsWith("edgegov: ", stderr.ToString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("usage: edgegov", stdout.ToString(), StringComparison.Ordinal);
        }
    }
}
