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

namespace EdgeGovernor.Firmware.Demo;

/// <summary>
/// One board in-process for <c>edgegov demo --contracts</c> and the contract tests, composed as <see cref="NodeHost"/>
/// composes it: UDP transport on loopback, cluster node, simulated rack, contract journal file and
/// <see cref="ContractHost"/> (none when the configuration has no contracts); driven turn by turn by its caller
/// (<see cref="Pump"/>, <see cref="StepRack"/>). <see cref="Dispose"/> is a crash: nothing more is processed or flushed.
/// </summary>
internal sealed class ContractDemoBoard : IDisposable
{
    private readonly UdpTransport _transport;
    private readonly ClusterBinding _binding;
    private readonly double[] _prices;
    private readonly MarketClock _market;

    public ContractDemoBoard(FirmwareConfig config, MarketClock market, IPAddress group, int groupPort, double eurPerKwh, long decideWindowMs, TextWriter log,
        ContractJournalOpen? openJournal = null)
        : this(config, market, group, groupPort, Flat(eurPerKwh), decideWindowMs, log, openJournal)
    {
    }

    /// <summary>A board whose contracts see <paramref name="eurPerKwh"/> per market hour from now (updated with
    /// <see cref="SetPrices"/>), its journal opened by <paramref name="openJournal"/> (default: the file in the state directory).</summary>
    public ContractDemoBoard(FirmwareConfig config, MarketClock market, IPAddress group, int groupPort, double[] eurPerKwh, long decideWindowMs, TextWriter log,
        ContractJournalOpen? openJournal = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(market);
        Config = config;
        _market = market;
        _prices = [.. eurPerKwh];
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
            Roster = Array.ConvertAll(config.Roster, r => new NodeId(r)),
            Signer = new Ed25519Signer(config.SigningSeed),
            Verifier = BoardKeys.Roster(config),
        };
        Cluster = new ClusterNode(clusterOptions, nodeOptions, _binding, new Silent(), new SystemRandom(), new InMemoryVoteStore(), now)
        {
            UnixEpochOffsetUs = HostClock.UnixNowUs() - now,
        };
        _binding.Attach(Cluster);
        if (config.Contracts.Length > 0)
        {
            openJournal ??= reopening => new ContractFileJournal(config.StateDirectory, config.NodeId, mustExist: reopening);
            Host = new ContractHost(config, ContractDefinition.FromConfig(config), Cluster.Node, clusterOptions.Signer, clusterOptions.Verifier, openJournal,
                new ContractRackWork(Rack, config.Jobs), market, logger, now, Cluster.UnixMs(now), digestGraceUs: 2_000_000, decideWindowMs);
        }
        _transport.Start();
        StepRack(0, 0); // the day's jobs are released
    }

    public FirmwareConfig Config { get; }

    private static double[] Flat(double eurPerKwh)
    {
        double[] prices = new double[ContractRackWork.HorizonHours];
        Array.Fill(prices, eurPerKwh);
        return prices;
    }

    public RackController Rack { get; }

    public ClusterNode Cluster { get; }

    public Protocol.Contracts.IContractJournal? Journal => Host?.Journal;

    public ContractHost? Host { get; }

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
            Host?.SendDigests(now);
        }
        Host?.Step(now, Cluster.UnixMs(now), _prices, decide);
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
        Host?.Step(now, Cluster.UnixMs(now), _prices, decide);
        if (crashNow())
        {
            return false;
        }
        _transport.FlushSends();
        _transport.WaitForData(5);
        return true;
    }

    /// <summary>The prices per market hour from now the contracts see from the next turn on.</summary>
    public void SetPrices(ReadOnlySpan<double> eurPerKwh) => eurPerKwh[.._prices.Length].CopyTo(_prices);

    /// <summary>
    /// One control step of the rack at the market clock's time, at the price of this hour with the prices ahead
    /// (<see cref="SetPrices"/>), booking <paramref name="wallSeconds"/> and <paramref name="marketSeconds"/>.
    /// </summary>
    public void StepRack(double wallSeconds, double marketSeconds)
    {
        DateTime m = _market.Now;
        // The rack decides per market interval: each hour's price covers the intervals of that hour.
        int perHour = Rack.IntervalsPerHour;
        long intervalTicks = TimeSpan.TicksPerHour / perHour;
        int intoHour = (int)(m.Ticks % TimeSpan.TicksPerHour / intervalTicks);
        Span<double> ct = stackalloc double[Math.Min(Rack.DayAheadIntervals, (_prices.Length * perHour) - intoHour)];
        for (int i = 0; i < ct.Length; i++)
        {
            ct[i] = _prices[(intoHour + i) / perHour] * 100;
        }
        Rack.Step(m.Ticks / intervalTicks, m.TimeOfDay.TotalHours, ct[0], ct, wallSeconds, marketSeconds);
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
        Host?.Dispose();
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
