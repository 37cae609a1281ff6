namespace EdgeGovernor.BoardCheck;

/// <summary>Counts checks and prints one <c>CHECK ok|FAIL &lt;what&gt;</c> line each (the board harness parses them).</summary>
public sealed class CheckLog(TextWriter output)
{
    /// <summary>Checks that failed so far.</summary>
    public int Failed { get; private set; }

    /// <summary>Records one check.</summary>
    public void Expect(bool condition, string what)
    {
        if (!condition)
        {
            Failed++;
        }

        output.WriteLine($"CHECK {(condition ? "ok" : "FAIL")} {what}");
    }

    /// <summary>Runs <paramref name="step"/>; an exception fails the check with its message.</summary>
    public void Expect(Func<(bool Ok, string Detail)> step, string what)
    {
        try
        {
            (bool ok, string detail) = step();
            Expect(ok, $"{what} ({detail})");
        }
        catch (Exception e) when (e is EdgeGovernor.Hal.HalException or IOException or UnauthorizedAccessException)
        {
            Expect(false, $"{what}: {e.GetType().Name}: {e.Message}");
        }
    }
}
