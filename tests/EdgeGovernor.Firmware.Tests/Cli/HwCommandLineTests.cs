using EdgeGovernor.Firmware.Cli;

namespace EdgeGovernor.Firmware.Tests.Cli;

public sealed class HwCommandLineTests
{
    [Fact]
    public void Listing_and_changes_parse()
    {
        Assert.Equal(new HwCommand("b.json", false, HwVerb.List, null, 0, false, false, false, false), CommandLine.Parse(["hw", "--config", "b.json"]));
        Assert.Equal(new HwCommand("b.json", true, HwVerb.List, null, 0, false, false, false, false), CommandLine.Parse(["hw", "--json", "--config", "b.json"]));
        Assert.Equal(new HwCommand("b.json", false, HwVerb.SetCap, "web-1", 420, false, true, false, false),
            CommandLine.Parse(["hw", "--config", "b.json", "set-cap", "web-1", "420", "--yes"]));
        Assert.Equal(new HwCommand("b.json", false, HwVerb.SetCap, "web-1", 420, false, true, true, true),
            CommandLine.Parse(["hw", "--yes", "--force", "--keep", "--config", "b.json", "set-cap", "web-1", "420"]));
        Assert.Equal(new HwCommand("b.json", false, HwVerb.ClearCap, "web-1", 0, false, false, false, false), CommandLine.Parse(["hw", "--config", "b.json", "clear-cap", "web-1"]));
        Assert.Equal(new HwCommand("b.json", false, HwVerb.Power, "web-1", 0, true, false, false, false), CommandLine.Parse(["hw", "--config", "b.json", "power", "web-1", "on"]));
        Assert.Equal(new HwCommand("b.json", false, HwVerb.Outlet, "web-1", 0, false, true, false, false), CommandLine.Parse(["hw", "--config", "b.json", "outlet", "web-1", "off", "--yes"]));
    }

    [Theory]
    [InlineData(new string[] { "hw" }, "--config <file> is required")]
    [InlineData(new string[] { "hw", "--config", "b", "fly" }, "unknown action 'fly'")]
    [InlineData(new string[] { "hw", "--config", "b", "set-cap", "web-1" }, "set-cap needs <server> <watts>")]
    [InlineData(new string[] { "hw", "--config", "b", "set-cap", "web-1", "0" }, "from 1 to 65535")]
    [InlineData(new string[] { "hw", "--config", "b", "set-cap", "web-1", "12.5" }, "from 1 to 65535")]
    [InlineData(new string[] { "hw", "--config", "b", "clear-cap" }, "clear-cap needs <server>")]
    [InlineData(new string[] { "hw", "--config", "b", "power", "web-1", "maybe" }, "expected on or off")]
    [InlineData(new string[] { "hw", "--config", "b", "outlet", "web-1" }, "outlet needs <server> on|off")]
    [InlineData(new string[] { "hw", "--config", "b", "--yes" }, "go with set-cap")]
    [InlineData(new string[] { "hw", "--config", "b", "--json", "clear-cap", "x" }, "--json goes with the listing only")]
    [InlineData(new string[] { "hw", "--config", "b", "--dry" }, "unknown option '--dry'")]
    [InlineData(new string[] { "status", "extra" }, "unexpected argument 'extra'")]
    public void Bad_hw_arguments_give_a_clear_error_and_exit_2(string[] args, string expected)
    {
        Assert.Contains(expected, Assert.Throws<CliException>(() => CommandLine.Parse(args)).Message, StringComparison.Ordinal);
        var stderr = new StringWriter();
        Assert.Equal(Program.ExitUsage, Program.Run(args, new StringWriter(), stderr));
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
    }
}
