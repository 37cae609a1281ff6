namespace EdgeGovernor.Simulator.Tests.Commands;

/// <summary><c>--help</c> prints the usage and exits 0 for every command.</summary>
[Collection("console")]
public sealed class HelpTests
{
    [Theory]
    [InlineData("run", "--help")]
    [InlineData("run", "-h")]
    [InlineData("evaluate-policy", "--help")]
    [InlineData("evaluate-policy", "--prices", "x.csv", "-h")]
    [InlineData("compare-elections", "--help")]
    [InlineData("compare-elections", "-h")]
    [InlineData("evaluate-contracts", "--help")]
    [InlineData("evaluate-contracts", "-h")]
    [InlineData("evaluate-policy", "-h")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("--help")]
    public void Help_prints_the_usage_and_exits_0(params string[] args)
    {
        TextWriter oldOut = Console.Out, oldErr = Console.Error;
        using var o = new StringWriter();
        using var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        int code;
        try
        {
            code = Program.Main(args);
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }

        Assert.Equal(0, code);
        Assert.StartsWith("usage: ", o.ToString(), StringComparison.Ordinal);
        Assert.Empty(e.ToString());
    }
}
