using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Tests.Transport;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary>The real <c>edgegov run</c> process on a fake board: SIGTERM restores, SIGKILL is recovered at the next start.</summary>
[Collection("processes")]
public sealed class LinuxHardwareProcessTests
{
    /// <summary>
    /// Reads a number from a fake attribute that a running edgegov may be rewriting: on a plain file (unlike sysfs) a
    /// reader can catch the moment between O_TRUNC and the write and see it empty, so that read is simply repeated.
    /// </summary>
    internal static long ReadWhileWritten(string dir, string name)
    {
        for (int attempt = 0; ; attempt++)
        {
            string text = FakeSysfs.Read(dir, name);
            if (long.TryParse(text, System.Globalization.NumberStyles.AllowTrailingWhite, System.Globalization.CultureInfo.InvariantCulture, out long value))
            {
                return value;
            }
            if (attempt == 100)
            {
                throw new FormatException($"{Path.Combine(dir, name)} holds '{text}', not a number");
            }
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void Edgegov_run_caps_the_packages_restores_on_SIGTERM_and_recovers_after_SIGKILL()
    {
        using var dir = new TempDir();
        using var sysfs = new FakeSysfs();
        string package0 = sysfs.AddRaplZone("intel-rapl:0", "package-0", longTermUw: 124_000_000);
        string package1 = sysfs.AddRaplZone("intel-rapl:1", "package-1", longTermUw: 118_000_000);
        sysfs.AddHwmon(0);
        var (group, port) = TransportTests.FreshGroup();
        string key = dir.SecretFile("cluster.key", "1:" + Convert.ToHexString(Guid.NewGuid().ToByteArray()) + "\n");
        FirmwareConfig config = NodeProcess.ConfigFor(1, [1], dir, group, port, key);
        config.Rack = new RackConfig
        {
            Hardware = "linux",
            SysfsRoot = sysfs.Root,
            StateFile = Path.Combine(dir.Path, "state", "actuators.json"),
            BudgetWatts = 1000,
            Servers = [new ServerConfig { Name = "pkg", Count = 2, MinCapWatts = 40, MaxCapWatts = 110 }],
        };
        static long Limit(string zone) => ReadWhileWritten(zone, "constraint_0_power_limit_uw");

        using (NodeProcess node = NodeProcess.Start(config, dir))
        {
            // Both packages: the step writes them one after the other, a read in between would see package 1 uncapped.
            NodeProcess.WaitUntil(() => (Limit(package0) != 124_000_000 && Limit(package1) != 118_000_000) || node.HasExited, "a cap on both packages");
            Assert.InRange(Limit(package0), 40_000_000, 110_000_000);
            Assert.InRange(Limit(package1), 40_000_000, 110_000_000);
            Assert.Equal(0, node.Terminate(TimeSpan.FromSeconds(30)));
            Assert.Contains("restored", node.Log, StringComparison.Ordinal);
        }
        Assert.Equal(124_000_000, Limit(package0));
        Assert.Equal(118_000_000, Limit(package1));
        Assert.False(File.Exists(config.Rack.StateFile));

        using (NodeProcess node = NodeProcess.Start(config, dir))
        {
            NodeProcess.WaitUntil(() => (Limit(package0) != 124_000_000 && Limit(package1) != 118_000_000) || node.HasExited, "a cap on both packages");
            node.Kill(); // a crash: no restore
            NodeProcess.WaitUntil(() => node.HasExited, "the killed process to exit");
        }
        Assert.NotEqual(124_000_000, Limit(package0));
        Assert.True(File.Exists(config.Rack.StateFile));

        using (NodeProcess node = NodeProcess.Start(config, dir))
        {
            NodeProcess.WaitUntil(() => node.Log.Contains("previous run did not stop cleanly", StringComparison.Ordinal) || node.HasExited, "crash recovery");
            Assert.Contains("restored 2 hardware settings", node.Log, StringComparison.Ordinal);
            // Recovered at start, then capped again by the running loop.
            NodeProcess.WaitUntil(() => Limit(package0) != 124_000_000 || node.HasExited, "a cap on package 0 after recovery");
            Assert.Equal(0, node.Terminate(TimeSpan.FromSeconds(30)));
        }
        Assert.Equal(124_000_000, Limit(package0));
        Assert.Equal(118_000_000, Limit(package1));
        Assert.False(File.Exists(config.Rack.StateFile));
    }
}
