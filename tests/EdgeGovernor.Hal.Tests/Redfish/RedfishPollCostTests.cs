using System.Globalization;
using EdgeGovernor.Hal.Redfish;
using EdgeGovernor.TestSupport.Redfish;
using EdgeGovernor.Hal.Tests.Redfish.Support;
using Xunit.Abstractions;

namespace EdgeGovernor.Hal.Tests.Redfish;

/// <summary>
/// What one periodic reading costs: allocation and time of <see cref="RedfishBmc.GetPowerReadingAsync"/> against the DMTF
/// server (HTTP/1.0: a new connection every poll) and against a keep-alive HTTP/1.1 server of the same mockup files; and
/// the parse alone, which allocates nothing. Out-of-process servers, run alone, so the process-wide count is the client's.
/// </summary>
[Collection(RedfishPollCostCollection.Name)]
public sealed class RedfishPollCostTests(ITestOutputHelper output)
{
    private const int Polls = 500;

    [DmtfMockupFact]
    public async Task One_poll_allocates_only_what_the_HTTP_stack_needs_and_the_parse_allocates_nothing()
    {
        using DmtfMockupServer dmtf = DmtfMockupServer.Start("public-rackmount1");
        long closing = await MeasureAsync(dmtf, "DMTF server, HTTP/1.0, new connection per poll");
        using DmtfMockupServer keepAlive = DmtfMockupServer.Start("public-rackmount1", keepAlive: true);
        long kept = await MeasureAsync(keepAlive, "HTTP/1.1 keep-alive");
        Assert.InRange(kept, 1, closing);
        Assert.InRange(closing, 1, 32 * 1024);

        byte[] body = File.ReadAllBytes(Path.Combine(DmtfMockupServer.SharedDirectory, "mockups/public-rackmount1/Chassis/1U/Power/index.json"));
        RedfishJsonScanner.TryReadNumber(body, "PowerControl.0.PowerConsumedWatts"u8, 0, 1e6, "Power", out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            RedfishJsonScanner.TryReadNumber(body, "PowerControl.0.PowerConsumedWatts"u8, 0, 1e6, "Power", out double w);
            sum += w;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(344_000, sum);
    }

    private async Task<long> MeasureAsync(DmtfMockupServer server, string what)
    {
        var options = new RedfishClientOptions(server.BaseAddress, new RedfishCredentials("admin", "password")) { AllowPlainHttp = true, UseSessions = false };
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(options) { ReadingSource = RedfishReadingSource.EnvironmentMetrics });
        for (int i = 0; i < 50; i++)
        {
            await bmc.GetPowerReadingAsync();
        }

        long before = GC.GetTotalAllocatedBytes(precise: true);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < Polls; i++)
        {
            Assert.Equal(374, (await bmc.GetPowerReadingAsync()).CurrentWatts);
        }

        TimeSpan elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(start);
        long perPoll = (GC.GetTotalAllocatedBytes(precise: true) - before) / Polls;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one poll (GET EnvironmentMetrics, {what}): {perPoll} B allocated, {elapsed.TotalMilliseconds * 1000 / Polls:F0} us"));
        return perPoll;
    }
}
