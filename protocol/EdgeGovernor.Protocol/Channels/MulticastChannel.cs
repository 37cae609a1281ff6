using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// Reliable ordered multicast of one node: its own stream and one <see cref="MulticastStream"/> per origin incarnation
/// heard (created on first data or announcement, bounded by <see cref="NodeOptions.MaxSenders"/>). It takes the decoded
/// frames (data, repair, NACK, the heartbeat's announcement and reports), runs the streams' timers, and writes this
/// node's stability reports. Effects go to the <see cref="IChannelSink"/> of its <see cref="MulticastContext"/>.
/// </summary>
internal sealed class MulticastChannel
{
    private readonly MulticastContext _context;
    private readonly MulticastStream _local;
    private readonly Dictionary<NodeId, MulticastStream> _streams = new();
    private readonly List<MulticastStream> _streamList = new();
    private readonly int _sendWindow;
    private readonly int _retention;
    private readonly int _maxSenders;
    private readonly long _freeAfterUs;
    private int _reportCursor;

    /// <summary>Creates the channel; nothing is freed before <paramref name="startUs"/> + the failure timeout (every
    /// member present from the start is known, and counted, by then).</summary>
    public MulticastChannel(NodeOptions options, MulticastContext context, long startUs)
    {
        _context = context;
        _sendWindow = options.MulticastSendWindow;
        _retention = options.MulticastRetention;
        _maxSenders = options.MaxSenders;
        _freeAfterUs = startUs + options.FailureTimeoutUs;
        _local = new MulticastStream(options.Node, options.Incarnation, isLocal: true, options.MulticastSendWindow, context);
        _local.Reset(options.Incarnation, 0);
    }

    /// <summary>This node's own stream.</summary>
    public MulticastStream Local => _local;

    /// <summary>The streams of other origins, in the order first heard.</summary>
    public IReadOnlyList<MulticastStream> Streams => _streamList;

    /// <summary>Publishes on the local stream; false when the send window is full.</summary>
    /// <exception cref="ArgumentException">The message exceeds <see cref="MulticastDataFrame.MaxMessage"/>.</exception>
    public bool TryPublish(byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
        if (payload.Length > MulticastDataFrame.MaxMessage)
        {
            throw new ArgumentException($"A multicast payload is at most {MulticastDataFrame.MaxMessage} bytes (got {payload.Length}).", nameof(payload));
        }

        return _local.TryPublish(channel, payload, _sendWindow, nowUs);
    }

    /// <summary>Takes a data or repair frame (already validated by <see cref="MulticastDataFrame.TryRead"/>).</summary>
    public DropReason OnData(in MulticastDataFrame frame, ReadOnlySpan<byte> message, bool isRepair, long nowUs)
    {
        if (frame.Origin == _context.Self)
        {
            return DropReason.None; // a holder repaired our own stream for someone else
        }

        MulticastStream? stream = StreamFor(frame.Origin, frame.Incarnation, frame.Stable);
        if (stream is null)
        {
            _context.Counters.MulticastDuplicates++;
            return DropReason.None;
        }

        return stream.Receive(frame, message, isRepair, nowUs);
    }

    /// <summary>Takes a NACK: an overheard one may hold ours back; held messages are repaired or scheduled. Never drops.</summary>
    public DropReason OnNack(in NackFrame nack, long nowUs)
    {
        _context.Counters.NacksReceived++;
        MulticastStream? stream = Find(nack.Origin);
        if (stream is not null && stream.Incarnation == nack.Incarnation)
        {
            stream.Loss.OnNackHeard(nack, nowUs);
            stream.Repairs.OnNack(nack, nowUs);
        }

        return DropReason.None;
    }

    /// <summary>Takes an origin's announcement (its heartbeat): highest sequence and stable point.</summary>
    public void OnAnnouncement(NodeId origin, ulong incarnation, ulong highest, ulong stable, long nowUs)
    {
        if (highest == stable && !_streams.ContainsKey(origin))
        {
            return; // nothing we could still need from a stream we do not track (most members never publish)
        }

        StreamFor(origin, incarnation, stable)?.OnAnnouncement(highest, stable, nowUs);
    }

    /// <summary>Stores a member's delivered-up-to reports (the report entries of its heartbeat).</summary>
    public void OnReports(NodeId reporter, ReadOnlySpan<byte> entries, long nowUs)
    {
        for (int offset = 0; StabilityReport.TryRead(entries[offset..], out StabilityReport report); offset += StabilityReport.Size)
        {
            MulticastStream? stream = Find(report.Origin);
            if (stream is not null && stream.Incarnation == report.Incarnation)
            {
                stream.OnReport(reporter, report.Delivered, nowUs);
            }
        }
    }

    /// <summary>Writes up to <paramref name="maxReports"/> reports (round robin over the streams); returns how many.</summary>
    public int WriteReports(Span<byte> destination, int maxReports)
    {
        int count = Math.Min(maxReports, _streamList.Count);
        for (int i = 0; i < count; i++)
        {
            _reportCursor = (_reportCursor + 1) % _streamList.Count;
            MulticastStream s = _streamList[_reportCursor];
            new StabilityReport(s.Origin, s.Incarnation, s.Delivered).TryWrite(destination[(i * StabilityReport.Size)..], out _);
        }

        return count;
    }

    /// <summary>True while some stream has a gap (the periodic gap check only matters then).</summary>
    public bool AnyGap()
    {
        foreach (MulticastStream stream in _streamList)
        {
            if (stream.HasGap)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs the NACK and repair timers; on a <paramref name="gapCheck"/> arms the NACK timer of any stream with a gap.</summary>
    public void Tick(long nowUs, bool gapCheck)
    {
        foreach (MulticastStream stream in _streamList)
        {
            if (gapCheck)
            {
                stream.Loss.Arm(nowUs);
            }

            stream.Loss.Tick(nowUs);
            stream.Repairs.Tick(nowUs);
        }
    }

    /// <summary>Frees retention up to each stream's stable point (after the first failure timeout; see the constructor);
    /// the local stream's stable point is announced in our heartbeats and data.</summary>
    public void UpdateStability(long nowUs)
    {
        if (nowUs < _freeAfterUs)
        {
            return;
        }

        _local.AnnouncedStable = Math.Max(_local.AnnouncedStable, _local.Stability.StablePoint());
        _local.Stability.FreeUpTo(_local.AnnouncedStable);
        foreach (MulticastStream stream in _streamList)
        {
            stream.Stability.FreeUpTo(Math.Max(stream.Stability.StablePoint(), Math.Min(stream.AnnouncedStable, stream.Delivered)));
        }
    }

    public void OnMemberAlive(NodeId member, ulong incarnation)
    {
        if (_streams.TryGetValue(member, out MulticastStream? s) && s.Incarnation == incarnation)
        {
            s.OriginFailed = false;
        }
    }

    public void OnMemberFailed(NodeId member)
    {
        _local.Stability.Forget(member);
        foreach (MulticastStream stream in _streamList)
        {
            stream.Stability.Forget(member);
            if (stream.Origin == member)
            {
                stream.OriginFailed = true;
                stream.Loss.OnOriginFailed();
            }
        }
    }

    private MulticastStream? Find(NodeId origin) =>
        origin == _context.Self ? _local : (_streams.TryGetValue(origin, out MulticastStream? s) ? s : null);

    private MulticastStream? StreamFor(NodeId origin, ulong incarnation, ulong start)
    {
        if (_streams.TryGetValue(origin, out MulticastStream? stream))
        {
            if (stream.Incarnation == incarnation)
            {
                return stream;
            }

            if (stream.Incarnation > incarnation)
            {
                return null;
            }

            _context.Counters.Retained(-stream.Reset(incarnation, start));
            stream.OriginFailed = !_context.Membership.IsAlive(origin);
            return stream;
        }

        if (_streams.Count >= _maxSenders)
        {
            return null;
        }

        stream = new MulticastStream(origin, incarnation, isLocal: false, _retention, context: _context);
        stream.Reset(incarnation, start);
        _streams.Add(origin, stream);
        _streamList.Add(stream);
        return stream;
    }
}
