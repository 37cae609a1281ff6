using System.Globalization;
using System.Text.RegularExpressions;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Tests.Transport;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>The real <c>edgegov run</c> on a fake board plus a server behind ipmi_sim: limit applied, SIGTERM restores it.</summary>
[Collection("processes")]
public sealed class LinuxHardwareBmcProcessTests(IpmiSimFixture sim) : IClassFixture<IpmiSimFixture>
{
    private static double MetricOrNaN(NodeProcess node, string series)
    {
        try
        {
            return node.Metric(series);
        }
        catch (InvalidOperationException)
        {
            return double.NaN; // not serving yet
        }
    }

    [IpmiSimFact]
    public async Task Edgegov_run_applies_a_dcmi_limit_reads_dcmi_power_and_restores_everything_on_SIGTERM()
    {
        await sim.IpmitoolAsync("chassis", "power", "on");
        await sim.IpmitoolAsync("dcmi", "power", "deactivate");
        using var board = new BmcBoard(sim.Port, pollMs: 200);
        board.Sysfs.AddCpuFreqPolicy(0);
        var (group, port) = TransportTests.FreshGroup();
        string key = board.Dir.SecretFile("cluster.key", "1:" + Convert.ToHexString(Guid.NewGuid().ToByteArray()) + "\n");
        FirmwareConfig config = NodeProcess.ConfigFor(1, [1], board.Dir, group, port, key);
        config.Rack = board.Rack();
        static long Limit(string zone) => LinuxHardwareProcessTests.ReadWhileWritten(zone, "constraint_0_power_limit_uw");
        string policy = Path.Combine(board.Sysfs.Root, "sys/devices/system/cpu/cpufreq/policy0");

        using (NodeProcess node = NodeProcess.Start(config, board.Dir))
        {
            NodeProcess.WaitUntil(() => node.HasExited || MetricOrNaN(node, "edgegov_dcmi_limit_writes_total") >= 1, "a DCMI limit");
            Assert.False(node.HasExited, node.Log);
            string shown = await sim.IpmitoolAsync("dcmi", "power", "get_limit");
            Assert.Contains("Power Limit Active", shown, StringComparison.Ordinal);
            int watts = int.Parse(Regex.Match(shown, @"Power Limit:\s*(\d+)\s+Watts").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(watts, 100, 300);
            Assert.InRange(Limit(board.Package), 40_000_000, 120_000_000);
            // The fake package's energy counter stands still (0 W): whatever the rack measures is the remote server's DCMI
            // reading, which the simulator holds at the limit in force (100..300 W, moving with the price).
            NodeProcess.WaitUntil(() => node.Metric("edgegov_rack_power_watts") >= 100, "the DCMI reading in the rack's power");
            Assert.InRange(node.Metric("edgegov_rack_power_watts"), 100, 300);
            Assert.Equal(0, node.Metric("edgegov_bmc_errors_total"));
            Assert.True(node.Metric("edgegov_cpufreq_writes_total") >= 1);
            Assert.Equal(0, node.Terminate(TimeSpan.FromSeconds(30)));
            Assert.Contains("restored", node.Log, StringComparison.Ordinal);
        }

        Assert.Contains("No Active Power Limit", await sim.IpmitoolAsync("dcmi", "power", "get_limit"), StringComparison.Ordinal);
        Assert.Equal(124_000_000, Limit(board.Package));
        Assert.Equal("3600000", FakeSysfs.Read(policy, "scaling_max_freq").Trim());
        Assert.False(File.Exists(config.Rack.StateFile));
    }
}
