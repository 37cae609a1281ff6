using System.Diagnostics;
using EdgeGovernor.TestSupport;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>
/// The ENTSO-E feed's delivery days are days of an IANA zone, which the binary reads from the system's tzdata
/// (/usr/share/zoneinfo, or TZDIR; InvariantGlobalization embeds none): hence <c>tzdata</c> in the package's Depends.
/// Without the zone files <c>edgegov run</c> refuses the configuration naming the path, the directory and the package.
/// </summary>
[Collection("processes")]
public sealed class TimeZoneDataTests
{
    [Fact]
    public async Task Without_tzdata_an_entsoe_configuration_is_refused_naming_the_zone_the_directory_and_the_package()
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(RepoPaths.FirmwareExamples, "edgegov-entsoe.json"), Path.Combine(dir.Path, "edgegov.json"));
        NodeProcess.NewKeyFile(dir);
        TestSigning.Write(dir.Path);
        dir.SecretFile("entsoe.token", "token\n");
        string empty = Directory.CreateDirectory(Path.Combine(dir.Path, "zoneinfo")).FullName;

        var start = new ProcessStartInfo(NodeProcess.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "run", "--config", Path.Combine(dir.Path, "edgegov.json") })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["TZDIR"] = empty;
        using Process p = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string text = await p.StandardError.ReadToEndAsync(timeout.Token);
        await p.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, p.ExitCode);
        Assert.Contains("$.priceFeed.entsoe.timeZone", text, StringComparison.Ordinal);
        Assert.Contains("'Europe/Brussels'", text, StringComparison.Ordinal);
        Assert.Contains(empty, text, StringComparison.Ordinal);
        Assert.Contains("apt-get install tzdata", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.TrimStart().StartsWith("$.", StringComparison.Ordinal)); // nothing else is wrong
    }
}
