using System.Net;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Transport;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Tests.Contracts;

/// <summary>
/// One board in-process, composed as <see cref="NodeHost"/> composes it: UDP transport on loopback, cluster node,
/// simulated rack, contract journal file and <see cref="ContractHost"/>; driven turn by turn by the test
/// (<see cref="Pump"/>). <see cref="Dispose"/> is a crash: nothing more is processed or flushed.
/// </summary>
internal sealed class ContractBoard : IDisposable
{
    private readonly UdpTransport _transport;
    private readonly ClusterBinding _binding;
    private readonly double[] _prices;

    public ContractBoard(FirmwareConfig config, MarketClock market, IPAddress group, int groupPort, double eurPerKwh, long decideWindowMs, TextWriter log)
    {
        Config = config;
        _prices = [.. Enumerable.Repeat(eurPerKwh, ContractRackWork.HorizonHours)];
        _transport = new UdpTransport(new UdpTransportOptions(group, groupPort, IPAddress.Loopback, 0));
        _binding = new ClusterBinding(_transport, HostClock.NowUs);
        var logger = new Logger($"board {config.NodeId}", Logger.ParseLevel("info"), log);
        Rack = new RackController(config, config.NodeId, logger);
        long now = HostClock.NowUs();
        var nodeOptions = new NodeOptions
        {
            Node = new NodeId(config.NodeId),
            Incarnation = (ulong)HostClock.UnixNowUs(),
            ClusterId = config.ClusterId,
            Key = new ClusterKey(config.Keys[0].KeyId, config.Keys[0].Secret),
            HeartbeatIntervalUs = 50_000,
            FailureTimeoutUs = 1_000_000,
            RttEstimateUs = 2_000,
        };
        var clusterOptions = new ClusterOptions
        {
            Roster = [.. config.Roster.Select(r => new NodeId(r))],
            Signer = new Ed25519Signer(config.SigningSeed),
            Verifier = BoardKeys.Roster(config),
        };
        Cluster = new ClusterNode(clusterOptions, nodeOptions, _binding, new Silent(), new SystemRandom(), new InMemoryVoteStore(), now)
        {
            UnixEpochOffsetUs = HostClock.UnixNowUs() - now,
        };
        _binding.Attach(Cluster);
        Journal = new ContractFileJournal(config.StateDirectory, config.NodeId);
        Host = new ContractHost(config, ContractDefinition.FromConfig(config), Cluster.Node, clusterOptions.Signer, clusterOptions.Verifier, Journal,
            new ContractRackWork(Rack, config.Jobs), market, logger, now, Cluster.UnixMs(now), digestGraceUs: 2_000_000, decideWindowMs);
        _transport.Start();
        DateTime m = market.Now;
        Rack.Step(m.Ticks / TimeSpan.TicksPerHour, m.TimeOfDay.TotalHours, eurPerKwh * 100, 0, 0); // the day's jobs are released
    }

    public FirmwareConfig Config { get; }

    public RackController Rack { get; }

    public ClusterNode Cluster { get; }

    public ContractFileJournal Journal { get; }

    public ContractHost Host { get; }

    public IPEndPoint EndPoint => _transport.LocalEndPoint;

    /// <summary>Another board's endpoint, as <c>network.peers</c> gives it.</summary>
    public void AddPeer(uint node, IPEndPoint endpoint) => _binding.AddPeer(node, endpoint);

    /// <summary>One turn of the agent loop: receive, timers, contracts (digests when asked, offers when <paramref name="decide"/>), send.</summary>
    public void Pump(bool digests, bool decide)
    {
        _transport.BeginBatch();
        _transport.Drain(_binding, 256);
        long now = HostClock.NowUs();
        Cluster.Tick(now);
        if (digests)
        {
            Host.SendDigests(now);
        }
        Host.Step(now, Cluster.UnixMs(now), _prices, decide);
        _transport.FlushSends();
        _transport.WaitForData(5);
    }

    /// <summary>
    /// One turn that stops before its sends leave when <paramref name="crashNow"/> turns true after the contracts ran (a
    /// crash right after the journal write); true when it stopped there.
    /// </summary>
    public bool PumpUntilFlush(Func<bool> crashNow, bool decide = false)
    {
        _transport.BeginBatch();
        _transport.Drain(_binding, 256);
        long now = HostClock.NowUs();
        Cluster.Tick(now);
        Host.Step(now, Cluster.UnixMs(now), _prices, decide);
        if (crashNow())
        {
            return false;
        }
        _transport.FlushSends();
        _transport.WaitForData(5);
        return true;
    }

    /// <summary>Units of job class <paramref name="job"/> queued on the rack.</summary>
    public double Queued(int job)
    {
        double n = 0;
        for (int k = 0; Rack.ContractQueue(job, k, out double units, out _); k++)
        {
            n += units;
        }
        return n;
    }

    public void Dispose()
    {
        _transport.Dispose();
        Cluster.Dispose();
        Journal.Dispose();
        Rack.Dispose();
    }

    private sealed class Silent : IDeliveryHandler
    {
        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }
    }
}
