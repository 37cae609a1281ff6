using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Feeds.Carbon;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Transport;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// One board's process: the composition root (UDP transport and its <see cref="ClusterBinding"/>, the cluster node of
/// protocol/, the price feed, the rack's controller, the HTTP endpoint, systemd notifications) and the agent loop.
/// <para>
/// Everything that touches the cluster node runs on one thread, the loop: each turn it drains the receive queue into
/// <see cref="ClusterNode.Receive"/> (through the binding), runs every <see cref="IDuty"/> that is due, in order
/// (cluster timers, readiness, feed, price in force, control step, snapshot, watchdog), flushes the turn's sends and
/// sleeps in the transport until a datagram arrives or the earliest duty is due. The steady-state path allocates
/// nothing. The HTTP thread reads the <see cref="NodeSnapshot"/> the loop fills.
/// </para>
/// </summary>
internal sealed class NodeHost : IDisposable
{
    private readonly FirmwareConfig _config;
    private readonly Logger _log;
    private readonly UdpTransport _transport;
    private readonly ClusterBinding _binding;
    private readonly ClusterEvents _events;
    private readonly ClusterNode _cluster;
    private readonly RackController _rack;
    private readonly IPriceFeed _feed;
    private readonly PriceValidator _validator;
    private readonly MarketClock _market;
    private readonly PriceSchedule _schedule;
    private readonly CarbonSchedule _carbon;
    private readonly IPriceFeed? _carbonFeed;
    private readonly SdNotify _notify;
    private readonly NodeSnapshot _snapshot;
    private readonly HttpStatusServer? _http;
    private readonly HandlerFaults _faults;
    private readonly long _startUs;
    private readonly ContractHost? _contracts;
    private volatile bool _stopping;

    private NodeHost(FirmwareConfig config, Logger log)
    {
        _config = config;
        _log = log;
        _startUs = HostClock.NowUs();
        _validator = new PriceValidator(config.Thresholds.MinPriceCtPerKwh, config.Thresholds.MaxPriceCtPerKwh,
            config.PriceFeed.PlausiblePastHours, config.PriceFeed.PlausibleAheadHours);
        (_feed, _market) = PriceFeedFactory.Create(config, _validator, log);
        (_carbon, _carbonFeed) = CarbonSources.Create(config.Carbon, _market, log);

        var options = new UdpTransportOptions(IPAddress.Parse(config.Network.MulticastGroup), config.Network.MulticastPort,
            IPAddress.Parse(config.Network.Interface), config.Network.UnicastPort, config.Network.MulticastTtl,
            config.Network.MulticastLoopback, config.Network.ReceiveQueueSlots);
        _transport = new UdpTransport(options);
        _faults = new HandlerFaults(log);
        _binding = new ClusterBinding(_transport, HostClock.NowUs, _faults);
        foreach (PeerConfig peer in config.Network.Peers)
        {
            if (ConfigValidator.TryParseEndpoint(peer.Endpoint, out IPEndPoint? endpoint))
            {
                _binding.AddPeer(peer.NodeId, endpoint!); // a peer listed for its public key only is learnt from its traffic
            }
        }

        _rack = new RackController(config, config.NodeId, log);
        _notify = SdNotify.FromEnvironment();
        _schedule = new PriceSchedule(_market, _rack.DayAheadIntervals, config.Timers.PriceGraceMs, config.Market.IntervalMinutes);
        _events = new ClusterEvents(_schedule, config.NodeId, log);

        ulong incarnation = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        KeyEntry current = config.Keys[0];
        var nodeOptions = new NodeOptions
        {
            Node = new NodeId(config.NodeId),
            Incarnation = incarnation,
            ClusterId = config.ClusterId,
            Key = new ClusterKey(current.KeyId, current.Secret),
            PreviousKey = config.Keys.Count > 1 ? new ClusterKey(config.Keys[1].KeyId, config.Keys[1].Secret) : null,
            HeartbeatIntervalUs = config.Timers.HeartbeatMs * 1000L,
            FailureTimeoutUs = Math.Max(config.Timers.ElectionTimeoutMs, 2 * config.Timers.HeartbeatMs + 1) * 1000L,
            RttEstimateUs = 2_000,
        };
        var clusterOptions = new ClusterOptions
        {
            Roster = [.. config.Roster.Select(r => new NodeId(r))],
            Signer = new Ed25519Signer(config.SigningSeed),
            Verifier = BoardKeys.Roster(config),
            Thresholds = new RefinementThresholds((ushort)Math.Round(config.Thresholds.UtilizationLow * 10_000), (ushort)Math.Round(config.Thresholds.UtilizationHigh * 10_000)),
            Election = new ElectionOptions
            {
                CoordinatorHeartbeatPeriodUs = config.Timers.CoordinatorHeartbeatMs * 1000L,
                LeaderTimeoutUs = config.Timers.ElectionTimeoutMs * 1000L,
                Alternates = config.Thresholds.Alternates,
            },
            Membership = new MembershipOptions { MinMemberPeriodUs = config.Timers.HeartbeatMs * 1000L },
        };
        var votes = new FileVoteStore(config.StateDirectory, config.NodeId, clusterOptions.Roster);
        long now = HostClock.NowUs();
        _cluster = new ClusterNode(clusterOptions, nodeOptions, _binding, _events, new SystemRandom(), votes, now)
        {
            PriceListener = _events,
            UnixEpochOffsetUs = HostClock.UnixNowUs() - now,
        };
        _binding.Attach(_cluster);
        _events.Attach(_cluster);
        Incarnation = incarnation;
        _snapshot = new NodeSnapshot(config.NodeId, incarnation, config.Roster, _transport.LocalEndPoint.ToString(), _rack.BudgetWatts,
            _rack.ServerCount, config.SafePolicy.Mode, _market, _validator, _faults);
        if (config.Contracts.Length > 0)
        {
            _contracts = new ContractHost(config, ContractDefinition.FromConfig(config), _cluster.Node, clusterOptions.Signer, clusterOptions.Verifier,
                reopening => new ContractFileJournal(config.StateDirectory, config.NodeId, mustExist: reopening), new ContractRackWork(_rack, config.Jobs), _market, log, now, HostClock.UnixNowUs() / 1000, ContractDigestGraceUs);
            _snapshot.Contracts = _contracts.Agreements;
            _snapshot.ContractJournal = _contracts.Health;
        }

        if (config.Observability.HttpPort >= 0)
        {
            ObservabilityConfig o = config.Observability;
            HttpAuth? auth = o.HttpBearerToken is null && o.HttpBasicAuthPassword is null
                ? null
                : new HttpAuth(o.HttpBearerToken, o.HttpBasicAuthPassword is null ? null : o.HttpBasicAuthUser, o.HttpBasicAuthPassword);
            _http = new HttpStatusServer(IPAddress.Parse(o.HttpAddress), o.HttpPort, Serve, log, _faults, auth: auth);
        }
    }

    /// <summary>How long a partner may take to confirm a contract before it is reported unmatched.</summary>
    public const long ContractDigestGraceUs = 30_000_000;

    /// <summary>How often each partner is sent this board's contract digest.</summary>
    public const long ContractDigestPeriodUs = 60_000_000;

    /// <summary>This run's incarnation.</summary>
    public ulong Incarnation { get; }

    /// <summary>The HTTP endpoint, when enabled.</summary>
    public IPEndPoint? HttpEndPoint => _http?.EndPoint;

    /// <summary>Runs a node until SIGTERM or SIGINT; returns the exit code.</summary>
    public static int RunUntilStopped(FirmwareConfig config, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(config);
        var log = new Logger($"edgegov[node {config.NodeId}]", Logger.ParseLevel(config.Observability.LogLevel), stderr);
        NodeHost host;
        try
        {
            host = new NodeHost(config, log);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException or EdgeGovernor.Hal.HalException)
        {
            log.Error($"cannot start: {ErrorText.Describe(e)}");
            return e is ArgumentException or InvalidDataException ? Program.ExitUsage : Program.ExitFailure;
        }
        using (host)
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; host.Stop(); }))
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; host.Stop(); }))
        {
            return host.Run();
        }
    }

    /// <summary>Asks the loop to stop (thread-safe; used by the signal handlers).</summary>
    public void Stop()
    {
        _stopping = true;
        _transport.Wake();
    }

    /// <summary>The agent loop: 0 when stopped by <see cref="Stop"/>, 1 when the loop itself failed (logged, hardware restored).</summary>
    public int Run()
    {
        _transport.Start();
        _log.Notice($"started: unicast {_transport.LocalEndPoint}, group {_transport.GroupEndPoint} on {_config.Network.Interface}, roster [{string.Join(",", _config.Roster)}], feed {_feed.Name}, http {(_http is null ? "off" : _http.EndPoint.ToString())}, incarnation {Incarnation}");
        long now = HostClock.NowUs();
        IDuty[] duties = Duties(now, out SnapshotDuty snapshot);
        snapshot.Capture(now);

        int exit = Program.ExitOk;
        try
        {
            Loop(duties);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A local invariant broke (one input's faults are caught where it is handled): restore the hardware and
            // exit 1, which systemd's Restart=on-failure restarts cleanly.
            _log.Error($"stopped: {e.GetType().Name}: {ErrorText.Describe(e)}; restoring hardware and exiting with code {Program.ExitFailure} for a restart");
            exit = Program.ExitFailure;
        }

        _log.Notice("stopping: restoring hardware");
        _notify.Stopping();
        _rack.Restore();
        return exit;
    }

    private void Loop(IDuty[] duties)
    {
        long now;
        while (!_stopping)
        {
            // Everything this turn sends (acks, repairs, heartbeats, prices) leaves together in sendmmsg
            // batches when the turn ends, not one sendto per datagram.
            _transport.BeginBatch();
            now = HostClock.NowUs();
            _cluster.UnixEpochOffsetUs = HostClock.UnixNowUs() - now;
            _transport.Drain(_binding, 256);
            now = HostClock.NowUs();
            foreach (IDuty duty in duties)
            {
                if (now >= duty.DueUs(now))
                {
                    duty.Run(now);
                }
            }

            long next = long.MaxValue;
            foreach (IDuty duty in duties)
            {
                next = Math.Min(next, duty.DueUs(now));
            }
            _transport.FlushSends();
            long waitUs = next - HostClock.NowUs();
            if (waitUs > 0)
            {
                _transport.WaitForData((int)Math.Min(1000, (waitUs + 999) / 1000));
            }
        }
    }

    /// <summary>The loop's duties in the order they run within a turn; the periodic ones are due first at <paramref name="startUs"/>.</summary>
    private IDuty[] Duties(long startUs, out SnapshotDuty snapshot)
    {
        TimerConfig timers = _config.Timers;
        long controlPeriodUs = timers.ControlPeriodMs * 1000L;
        long watchdogPeriodUs = timers.WatchdogMs > 0
            ? timers.WatchdogMs * 1000L
            : _notify.WatchdogInterval is TimeSpan w ? (long)(w.TotalMicroseconds / 2) : long.MaxValue / 4;
        var poller = new FeedPoller(_feed, (long)(_config.PriceFeed.PollSeconds * 1e6), _config.Market.FeedInterval(_config.PriceFeed),
            TimeSpan.FromHours(_config.PriceFeed.PublishAheadHours), _validator, _log, (long)PriceFeedFactory.PollTimeout(_config.PriceFeed).TotalMicroseconds);
        var readiness = new ReadinessDuty(_cluster, _notify, _log, _config.NodeId, _startUs);
        var feed = new FeedDuty(_cluster, poller, _feed, _market, _schedule, _log, _faults);
        var control = new RackStepDuty(_cluster, _rack, _schedule, _carbon, _market, controlPeriodUs, startUs);
        snapshot = new SnapshotDuty(_snapshot, _cluster, _transport, _binding, _rack, _schedule, _events, feed, readiness, control, _startUs, controlPeriodUs, startUs);
        IDuty carbon = _carbonFeed is null ? new IdleDuty() : new CarbonDuty(CarbonSources.Poller(_config.Carbon, _carbonFeed, _log), _market, _carbon);
        return
        [
            new ClusterTickDuty(_cluster),
            readiness,
            feed,
            carbon,
            new PriceDuty(_cluster, _schedule, control, _market, _config.SafePolicy.Mode, _log),
            control,
            _contracts is null ? new IdleDuty() : new ContractDuty(_contracts, _cluster, _schedule, _market, controlPeriodUs, ContractDigestPeriodUs, startUs),
            snapshot,
            new WatchdogDuty(_notify, watchdogPeriodUs, startUs),
        ];
    }

    /// <summary>The Prometheus exposition of this node.</summary>
    public string Metrics() => NodeMetrics.Write(_snapshot);

    /// <summary>The /status document of this node.</summary>
    public NodeStatus Status() => NodeStatusBuilder.Build(_snapshot, _binding.PeerEndpoints);

    private HttpResponse Serve(string path) => path switch
    {
        "/metrics" => new HttpResponse(200, PrometheusWriter.ContentType, Metrics()),
        "/status" => new HttpResponse(200, "application/json; charset=utf-8", JsonSerializer.Serialize(Status(), StatusJsonContext.Default.NodeStatus)),
        "/" => new HttpResponse(200, "text/plain; charset=utf-8", "edgegov: /metrics /status\n"),
        _ => new HttpResponse(404, "text/plain; charset=utf-8", "not found: try /metrics or /status\n"),
    };

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopping = true;
        _http?.Dispose();
        _transport.Dispose();
        _cluster.Dispose();
        _rack.Dispose();
        _feed.Dispose();
        _carbonFeed?.Dispose();
        _contracts?.Dispose();
        _notify.Dispose();
    }
}
