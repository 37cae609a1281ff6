using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Transport;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// One board's process: the UDP transport, the cluster node (protocol/), the price feed (run while
/// this node coordinates), the rack's control loop, the HTTP endpoint and systemd notifications.
/// <para>
/// Everything that touches the cluster node runs on one thread, an agent loop: drain the receive
/// queue into <see cref="ClusterNode.Receive"/>, run <see cref="ClusterNode.Tick"/> when due, poll
/// the feed when coordinating, run the control step when due, then sleep in the transport until
/// a datagram arrives or the earliest deadline passes. The socket threads never block it, and the
/// steady-state path (receive, tick, send, control step) allocates nothing. The HTTP thread reads a
/// copy of the state taken under a lock.
/// </para>
/// </summary>
public sealed partial class NodeHost : IDatagramSink, IDeliveryHandler, IDatagramConsumer, IPriceLogListener, IDisposable
{
    private readonly FirmwareConfig _config;
    private readonly Logger _log;
    private readonly UdpTransport _transport;
    private readonly PeerEndpointMap _peers = new();
    private readonly ClusterNode _cluster;
    private readonly RackController _rack;
    private readonly IPriceFeed _feed;
    private readonly PriceValidator _validator;
    private readonly MarketClock _market;
    private readonly SdNotify _notify;
    private readonly HttpStatusServer? _http;
    private readonly long _startUs;
    private readonly ushort _feedSource;
    private readonly object _stateLock = new();
    private readonly StateCopy _state;
    private volatile bool _stopping;
    private long _unroutable;
    private long _leaderChanges;
    private long _publishedRecords;
    private long _appliedRecords;
    private PriceRecord _applied;
    private PriceRecord _inForce;
    private bool _priceFresh;
    private bool _priceDirty = true;
    private long _nextPriceCheckUs = long.MaxValue;
    private long _firstHeartbeatUs = -1;
    private Task<PriceQuote?>? _pendingPoll;
    private Dictionary<uint, string> _peersSnapshot = [];
    private readonly double[] _upcoming = new double[RackController.MaxDayAheadHours];
    private long _upcomingHour = long.MinValue;
    private bool _upcomingDirty = true;
    private int _upcomingHours;

    private NodeHost(FirmwareConfig config, Logger log)
    {
        _config = config;
        _log = log;
        _startUs = NowUs();
        _validator = new PriceValidator(config.Thresholds.MinPriceCtPerKwh, config.Thresholds.MaxPriceCtPerKwh);
        (_feed, _feedSource, _market) = CreateFeed(config, _validator, log);

        var options = new UdpTransportOptions(IPAddress.Parse(config.Network.MulticastGroup), config.Network.MulticastPort,
            IPAddress.Parse(config.Network.Interface), config.Network.UnicastPort, config.Network.MulticastTtl,
            config.Network.MulticastLoopback, config.Network.ReceiveQueueSlots);
        _transport = new UdpTransport(options);
        foreach (PeerConfig peer in config.Network.Peers)
        {
            ConfigValidator.TryParseEndpoint(peer.Endpoint, out IPEndPoint? endpoint);
            _peers.Add(peer.NodeId, endpoint!);
        }

        _rack = new RackController(config, config.NodeId, log);
        _state = new StateCopy(config);
        _notify = SdNotify.FromEnvironment();

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
            Thresholds = new RefinementThresholds((ushort)Math.Round(config.Thresholds.UtilizationLow * 10_000), (ushort)Math.Round(config.Thresholds.UtilizationHigh * 10_000)),
            Election = new ElectionOptions
            {
                CoordinatorHeartbeatPeriodUs = config.Timers.CoordinatorHeartbeatMs * 1000L,
                LeaderTimeoutUs = config.Timers.ElectionTimeoutMs * 1000L,
                Alternates = config.Thresholds.Alternates,
            },
            Membership = new MembershipOptions { MinMemberPeriodUs = config.Timers.HeartbeatMs * 1000L },
        };
        var votes = new FileVoteStore(config.StateDirectory, config.NodeId);
        long now = NowUs();
        _cluster = new ClusterNode(clusterOptions, nodeOptions, this, this, new SystemRandom(), votes, now)
        {
            PriceListener = this,
            UnixEpochOffsetUs = UnixNowUs() - now,
        };
        Incarnation = incarnation;

        if (config.Observability.HttpPort >= 0)
        {
            _http = new HttpStatusServer(IPAddress.Parse(config.Observability.HttpAddress), config.Observability.HttpPort, Serve, log);
        }
    }

    /// <summary>This run's incarnation.</summary>
    public ulong Incarnation { get; }

    /// <summary>The HTTP endpoint, when enabled.</summary>
    public IPEndPoint? HttpEndPoint => _http?.EndPoint;

    /// <summary>Runs a node until SIGTERM or SIGINT; returns the exit code.</summary>
    public static int RunUntilStopped(FirmwareConfig config, TextWriter stderr)
    {
        var log = new Logger($"edgegov[node {config.NodeId}]", Logger.ParseLevel(config.Observability.LogLevel), stderr);
        NodeHost host;
        try
        {
            host = new NodeHost(config, log);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException or EdgeGovernor.Hal.HalException)
        {
            log.Error($"cannot start: {e.Message}");
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

    /// <summary>The agent loop; returns when stopped.</summary>
    public int Run()
    {
        _transport.Start();
        _log.Notice($"started: unicast {_transport.LocalEndPoint}, group {_transport.GroupEndPoint} on {_config.Network.Interface}, roster [{string.Join(",", _config.Roster)}], feed {_feed.Name}, http {(_http is null ? "off" : _http.EndPoint.ToString())}, incarnation {Incarnation}");
        long controlPeriodUs = _config.Timers.ControlPeriodMs * 1000L;
        long watchdogPeriodUs = _config.Timers.WatchdogMs > 0
            ? _config.Timers.WatchdogMs * 1000L
            : _notify.WatchdogInterval is TimeSpan w ? (long)(w.TotalMicroseconds / 2) : long.MaxValue / 4;
        long pollPeriodUs = (long)(_config.PriceFeed.PollSeconds * 1e6);
        long now = NowUs();
        long nextControl = now;
        long nextWatchdog = now;
        long nextPoll = now;
        long lastControl = now;
        bool ready = false;
        CopyState(now);

        while (!_stopping)
        {
            // Everything this turn sends (acks, repairs, heartbeats, prices) leaves together in sendmmsg
            // batches when the turn ends, not one sendto per datagram.
            _transport.BeginBatch();
            now = NowUs();
            _cluster.UnixEpochOffsetUs = UnixNowUs() - now;
            _transport.Drain(this, 256);
            now = NowUs();
            if (now >= _cluster.NextDeadlineUs)
            {
                _cluster.Tick(now);
            }
            if (!ready && _cluster.Node.Counters.HeartbeatsSent > 0)
            {
                ready = true;
                _firstHeartbeatUs = now - _startUs;
                _notify.Ready($"node {_config.NodeId} serving");
                _log.Info($"first heartbeat sent {(now - _startUs) / 1000.0:0.0} ms after start");
            }
            if (_cluster.IsCoordinator && now >= nextPoll)
            {
                PollFeed(now);
                nextPoll = now + pollPeriodUs;
            }
            if (_pendingPoll is { IsCompleted: true })
            {
                CompletePoll(now);
            }
            if (_priceDirty || now >= nextControl || now >= _nextPriceCheckUs)
            {
                RefreshPrice(now);
            }
            if (now >= nextControl)
            {
                Control(now, now - lastControl);
                lastControl = now;
                nextControl = now + controlPeriodUs;
            }
            if (now >= nextWatchdog)
            {
                _notify.Watchdog();
                nextWatchdog = now + watchdogPeriodUs;
            }

            long next = Math.Min(Math.Min(Math.Min(_cluster.NextDeadlineUs, nextControl), nextWatchdog), _nextPriceCheckUs);
            if (_cluster.IsCoordinator)
            {
                next = Math.Min(next, nextPoll);
            }
            if (_pendingPoll is not null)
            {
                next = Math.Min(next, now + 5_000);
            }
            _transport.FlushSends();
            long waitUs = next - NowUs();
            if (waitUs > 0)
            {
                _transport.WaitForData((int)Math.Min(1000, (waitUs + 999) / 1000));
            }
        }

        _log.Notice("stopping: restoring hardware");
        _notify.Stopping();
        _rack.Restore();
        return Program.ExitOk;
    }

    private static (IPriceFeed Feed, ushort Source, MarketClock Clock) CreateFeed(FirmwareConfig config, PriceValidator validator, Logger log)
    {
        PriceFeedConfig f = config.PriceFeed;
        var interval = TimeSpan.FromSeconds(f.IntervalSeconds);
        long epoch = f.ReplayEpochUnixMs > 0 ? f.ReplayEpochUnixMs : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        switch (f.Kind)
        {
            case "csv":
                {
                    CsvPriceFeed csv = CsvPriceFeed.Load(f.CsvPath, interval, validator, log);
                    DateTime start = f.ReplayStart.Length > 0 ? DateTime.Parse(f.ReplayStart, CultureInfo.InvariantCulture) : csv.Quotes[0].IntervalStart;
                    return (csv, 2, new MarketClock(start, epoch, f.Acceleration));
                }
            case "http":
                return (new HttpJsonPriceFeed(new Uri(f.Url), f.PriceField, f.StartField, f.Unit, interval, TimeSpan.FromSeconds(Math.Min(10, Math.Max(1, f.PollSeconds))), validator, log),
                    3, new MarketClock(DateTime.UnixEpoch, 0, 1));
            default:
                {
                    var feed = new SyntheticPriceFeed(f.Seed, interval);
                    if (f.ReplayStart.Length == 0 && f.Acceleration == 1)
                    {
                        return (feed, 1, new MarketClock(DateTime.UnixEpoch, 0, 1)); // real time: market time is UTC, exactly
                    }
                    DateTime start = f.ReplayStart.Length > 0 ? DateTime.Parse(f.ReplayStart, CultureInfo.InvariantCulture) : DateTime.UtcNow.Date;
                    return (feed, 1, new MarketClock(start, epoch, f.Acceleration));
                }
        }
    }

    // ---- price feed (coordinator only) -------------------------------------------------------

    private void PollFeed(long nowUs)
    {
        if (_pendingPoll is not null)
        {
            return;
        }
        DateTime marketNow = _market.Now;
        if (_feed is HttpJsonPriceFeed)
        {
            _pendingPoll = _feed.PollAsync(marketNow, CancellationToken.None).AsTask();
            return;
        }
        // Replayed and synthetic feeds know the day ahead: publish the interval in force and every interval
        // that starts within priceFeed.publishAheadHours (default 1: the next one), as a day-ahead market
        // announces tomorrow's prices; each is applied when its interval starts, and the governor plans with them.
        Publish(_feed.PollAsync(marketNow, CancellationToken.None).Result, nowUs);
        TimeSpan interval = TimeSpan.FromSeconds(_config.PriceFeed.IntervalSeconds);
        DateTime horizon = marketNow + TimeSpan.FromHours(_config.PriceFeed.PublishAheadHours);
        DateTime start = new(marketNow.Ticks - (marketNow.Ticks % interval.Ticks), marketNow.Kind);
        for (DateTime next = start + interval; next <= horizon; next += interval)
        {
            Publish(_feed.PollAsync(next, CancellationToken.None).Result, nowUs);
        }
    }

    private void CompletePoll(long nowUs)
    {
        Task<PriceQuote?> task = _pendingPoll!;
        _pendingPoll = null;
        if (task.IsCompletedSuccessfully)
        {
            Publish(task.Result, nowUs);
        }
        else
        {
            _validator.Count(PriceRejection.Unavailable);
            _log.Warning($"price feed poll failed: {task.Exception?.GetBaseException().Message}");
        }
    }

    private void Publish(PriceQuote? quote, long nowUs)
    {
        if (quote is not PriceQuote q || !_cluster.IsCoordinator)
        {
            return;
        }
        long startMs = WallMs(q.IntervalStart);
        long endMs = WallMs(q.IntervalEnd);
        int priceE4 = (int)Math.Round(q.CtPerKwh * PriceRecord.UnitsPerCent, MidpointRounding.AwayFromZero);
        PriceLogResult result = _cluster.PublishPrice(startMs, endMs, priceE4, _feedSource, nowUs);
        if (result == PriceLogResult.Appended)
        {
            _publishedRecords++;
            _upcomingDirty = true;
            _log.Info(string.Create(CultureInfo.InvariantCulture,
                $"published price index={_cluster.Log.LastIndex} term={_cluster.Election.CurrentTerm} at_ms={_cluster.UnixMs(nowUs)} ({q})"));
        }
        else if (result != PriceLogResult.Duplicate)
        {
            _log.Warning($"price {q} not published: {result}");
        }
    }

    private long WallMs(DateTime market) =>
        _market.EpochUnixMs + (long)Math.Round((market - _market.Start).TotalMilliseconds / _market.Acceleration);

    private DateTime MarketAt(long unixMs) => _market.At(unixMs);

    // ---- price in force and control ----------------------------------------------------------

    private void RefreshPrice(long nowUs)
    {
        _priceDirty = false;
        PriceStatus status = _cluster.GetPriceInForce(nowUs, out PriceRecord record);
        bool fresh = status == PriceStatus.Fresh;
        // A new term's first record re-announces the price in force (same interval, same price): that is
        // not a new price to apply. A different interval, or a corrected price for it, is.
        if (fresh && (!_priceFresh || record.IntervalStartMs != _applied.IntervalStartMs || record.IntervalEndMs != _applied.IntervalEndMs || record.PriceE4 != _applied.PriceE4))
        {
            _applied = record;
            _appliedRecords++;
            long unixMs = _cluster.UnixMs(nowUs);
            _log.Info(string.Create(CultureInfo.InvariantCulture,
                $"applied price index={record.Index} term={record.Term} start_ms={record.IntervalStartMs} price_e4={record.PriceE4} at_ms={unixMs} ({record.CentsPerKWh:0.####} ct/kWh for market {MarketAt(record.IntervalStartMs):yyyy-MM-dd HH:mm})"));
        }
        else if (!fresh && _priceFresh)
        {
            _log.Warning($"price is {(status == PriceStatus.Stale ? "stale" : "missing")}: safe policy ({_config.SafePolicy.Mode}) in force");
        }
        _priceFresh = fresh;
        _inForce = record;
        // Look again the moment the record in force expires (the next one may already be held).
        _nextPriceCheckUs = fresh ? nowUs + Math.Max(0, (record.IntervalEndMs - _cluster.UnixMs(nowUs)) * 1000) : long.MaxValue;
    }

    private void Control(long nowUs, long elapsedUs)
    {
        double wallSeconds = elapsedUs / 1e6;
        DateTime market = _market.Now;
        long hour = market.Ticks / TimeSpan.TicksPerHour;
        double price = _priceFresh ? _inForce.CentsPerKWh : double.NaN;
        if (hour != _upcomingHour || _upcomingDirty)
        {
            _upcomingHour = hour;
            _upcomingDirty = false;
            FillUpcoming(hour, _cluster.UnixMs(nowUs));
        }
        _rack.Step(hour, market.TimeOfDay.TotalHours, price, _upcoming, wallSeconds, wallSeconds * _market.Acceleration);
        ref readonly RackReading r = ref _rack.Reading;
        double budget = _rack.BudgetWatts;
        _cluster.SetLoad((ushort)Math.Clamp(r.PowerWatts / budget * 10_000, 0, 10_000), (uint)Math.Max(0, budget - r.PowerWatts));
        CopyState(nowUs);
    }

    /// <summary>
    /// The prices this node holds for the coming hours of market time, from its replicated price log: entry t is
    /// market hour <paramref name="hour"/> + t (NaN where no record covers it). The newest record for an interval
    /// wins, as in <see cref="PriceLog.GetPriceInForce"/>; records that have expired are ignored. This is a forecast
    /// for the governor's plans only: the price applied is still the one in force, and it is applied when its
    /// interval starts. Allocation-free; recomputed when a record arrives or the hour changes.
    /// </summary>
    private void FillUpcoming(long hour, long nowMs)
    {
        Array.Fill(_upcoming, double.NaN);
        PriceLog log = _cluster.Log;
        for (ulong i = log.LastIndex; i >= log.FirstIndex && i != 0; i--)
        {
            if (!log.TryGet(i, out PriceRecord r) || r.IsNoOp || r.IntervalEndMs <= nowMs)
            {
                continue;
            }
            // Hours of market time the interval covers (rounded: wall milliseconds blur the market's hour edges);
            // a sub-hour interval counts for the hour it lies in.
            long first = RoundToHour(MarketAt(r.IntervalStartMs)) - hour;
            long end = RoundToHour(MarketAt(r.IntervalEndMs)) - hour;
            if (end <= first)
            {
                first = (MarketAt((r.IntervalStartMs + r.IntervalEndMs) / 2).Ticks / TimeSpan.TicksPerHour) - hour;
                end = first + 1;
            }
            for (long t = Math.Max(0, first); t < end && t < _upcoming.Length; t++)
            {
                if (double.IsNaN(_upcoming[t]))
                {
                    _upcoming[t] = r.CentsPerKWh;
                }
            }
        }
        _upcomingHours = 0;
        while (_upcomingHours + 1 < _upcoming.Length && !double.IsNaN(_upcoming[_upcomingHours + 1]))
        {
            _upcomingHours++;
        }
    }

    private static long RoundToHour(DateTime market) => (market.Ticks + (TimeSpan.TicksPerHour / 2)) / TimeSpan.TicksPerHour;

    // ---- IDatagramConsumer / IDatagramSink / IDeliveryHandler ----------------------------------

    /// <inheritdoc/>
    public void OnDatagram(ReadOnlySpan<byte> datagram, System.Net.SocketAddress source, bool multicast)
    {
        ReceiveResult result = _cluster.Receive(datagram, NowUs());
        if (result.Authenticated)
        {
            // Authenticated: the sender id now names the source endpoint.
            if (_peers.Learn(result.Sender.Value, source))
            {
                // A new or moved peer (rare): refresh the copy /status shows.
                var snapshot = new Dictionary<uint, string>();
                foreach ((uint id, string endpoint) in _peers.Snapshot())
                {
                    snapshot[id] = endpoint;
                }
                lock (_stateLock)
                {
                    _peersSnapshot = snapshot;
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Send(Destination destination, ReadOnlySpan<byte> datagram)
    {
        if (destination.IsGroup)
        {
            _transport.SendToGroup(datagram);
        }
        else if (_peers.TryGet(destination.Peer.Value, out System.Net.SocketAddress address))
        {
            _transport.SendTo(datagram, address);
        }
        else
        {
            _unroutable++;
        }
    }

    /// <inheritdoc/>
    public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
    {
    }

    /// <inheritdoc/>
    public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
    {
    }

    /// <inheritdoc/>
    public void OnMembershipChanged(NodeId member, ulong incarnation, bool alive) =>
        _log.Info($"member {member.Value} (incarnation {incarnation}) {(alive ? "alive" : "failed")}");

    /// <inheritdoc/>
    public void OnLeadershipChanged(NodeId leader, ulong term)
    {
        _leaderChanges++;
        _priceDirty = true;
        _log.Notice(leader.Value == _config.NodeId
            ? $"coordinator of term {term} (this node)"
            : leader.IsValid ? $"coordinator of term {term} is node {leader.Value}" : $"no coordinator (term {term})");
    }

    /// <inheritdoc/>
    public void OnRecordHeld(in PriceRecord record, long nowUs)
    {
        _priceDirty = true;
        _upcomingDirty = true;
        if (!_cluster.IsCoordinator)
        {
            _log.Info(string.Create(CultureInfo.InvariantCulture, $"held price index={record.Index} term={record.Term} at_ms={_cluster.UnixMs(nowUs)}"));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopping = true;
        _http?.Dispose();
        _transport.Dispose();
        _cluster.Dispose();
        _rack.Dispose();
        _feed.Dispose();
        _notify.Dispose();
    }

    private static long NowUs() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    private static long UnixNowUs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>Real randomness for the protocol (backoffs, election jitter).</summary>
    private sealed class SystemRandom : IRandomSource
    {
        public double NextDouble() => Random.Shared.NextDouble();

        public ulong NextUInt64() => (ulong)Random.Shared.NextInt64() ^ ((ulong)Random.Shared.Next() << 63);
    }
}
