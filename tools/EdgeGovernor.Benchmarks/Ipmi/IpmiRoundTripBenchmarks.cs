using BenchmarkDotNet.Attributes;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;
using EdgeGovernor.TestSupport.Ipmi;

namespace EdgeGovernor.Benchmarks.Ipmi;

/// <summary>
/// IPMI round trips of <see cref="IpmiBmc"/> against a real ipmi_sim on 127.0.0.1 (started and
/// configured exactly as in the tests: <see cref="IpmiSimProcess"/> of
/// <c>tests/EdgeGovernor.TestSupport</c>). One session is set up in the global set-up and reused by every
/// invocation; the global clean-up prints the count of session set-ups against commands.
/// Run: <c>dotnet run -c Release --project tools/EdgeGovernor.Benchmarks -- --filter '*IpmiRoundTrip*' --job short</c>
/// (needs ipmi_sim, ipmitool, gcc, libopenipmi-dev).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class IpmiRoundTripBenchmarks
{
    private IpmiSimProcess? _sim;
    private IpmiBmc? _bmc;

    [GlobalSetup]
    public void Setup()
    {
        _sim = new IpmiSimProcess();
        _sim.StartAsync().GetAwaiter().GetResult();
        _bmc = new IpmiBmc(_sim.Options());
        _bmc.GetChassisStatusAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Get Chassis Status: one encrypted, authenticated request and reply.</summary>
    [Benchmark]
    public ValueTask<ChassisStatus> GetChassisStatus() => _bmc!.GetChassisStatusAsync();

    /// <summary>DCMI Get Power Reading through the group-extension module.</summary>
    [Benchmark]
    public ValueTask<PowerReading> GetPowerReading() => _bmc!.GetPowerReadingAsync();

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_bmc is not null)
        {
            Console.WriteLine($"// IPMI sessions: {_bmc.SessionsEstablished} set-up(s) for {_bmc.CommandsCompleted} commands, "
                + $"{_bmc.Retransmissions} retransmission(s), {_bmc.RepliesDropped} dropped repl(ies)");
            _bmc.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _sim?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
