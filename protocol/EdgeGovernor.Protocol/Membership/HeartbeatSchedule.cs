namespace EdgeGovernor.Protocol.Membership;

/// <summary>
/// When a node sends its heartbeats: the group beat every <see cref="IntervalUs"/> (each period jittered by
/// <see cref="Jitter"/>), and optionally fast unicast beats to up to <see cref="MaxPeers"/> peers every shorter
/// interval (see <see cref="ProtocolNode.SetHeartbeatPeers(ReadOnlySpan{NodeId}, long, long)"/>). Jitter draws come
/// from the injected random source, one per period, in the order the beats are sent.
/// </summary>
internal sealed class HeartbeatSchedule
{
    /// <summary>Most fast-beat peers.</summary>
    public const int MaxPeers = 16;

    private readonly IRandomSource _random;
    private readonly NodeId[] _peers = new NodeId[MaxPeers];
    private int _peerCount;
    private long _intervalUs;
    private double _jitter;
    private long _lastUs = long.MinValue / 2;
    private long _nextUs;
    private long _peerIntervalUs = long.MaxValue;
    private long _nextPeerUs = long.MaxValue;

    /// <summary>The first group beat is due at <paramref name="firstUs"/>.</summary>
    public HeartbeatSchedule(IRandomSource random, long intervalUs, long firstUs)
    {
        _random = random;
        _intervalUs = intervalUs;
        _nextUs = firstUs;
    }

    public long IntervalUs
    {
        get => _intervalUs;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _intervalUs = value;
            _nextUs = Math.Min(_nextUs, _lastUs + value);
        }
    }

    public double Jitter
    {
        get => _jitter;
        set
        {
            if (!(value >= 0 && value <= 0.5))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "HeartbeatJitter must be between 0 and 0.5.");
            }

            _jitter = value;
        }
    }

    public ReadOnlySpan<NodeId> Peers => _peers.AsSpan(0, _peerCount);

    /// <summary>The next group or fast beat.</summary>
    public long NextDueUs => Math.Min(_nextUs, _nextPeerUs);

    public bool GroupDue(long nowUs) => nowUs >= _nextUs;

    public bool PeerDue(long nowUs) => nowUs >= _nextPeerUs;

    /// <summary>Sets the fast-beat peers (see <see cref="ProtocolNode.SetHeartbeatPeers(ReadOnlySpan{NodeId}, long, long)"/>).</summary>
    public void SetPeers(ReadOnlySpan<NodeId> peers, long intervalUs, long firstBeatUs)
    {
        if (peers.Length > MaxPeers)
        {
            throw new ArgumentException($"At most {MaxPeers} heartbeat peers (got {peers.Length}).", nameof(peers));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intervalUs);
        peers.CopyTo(_peers);
        _peerCount = peers.Length;
        bool on = peers.Length > 0 && intervalUs < _intervalUs;
        if (!on)
        {
            _peerIntervalUs = long.MaxValue;
            _nextPeerUs = long.MaxValue;
        }
        else if (_peerIntervalUs == long.MaxValue)
        {
            _peerIntervalUs = intervalUs;
            // starting: one fast period after the last group beat, or when the caller says
            _nextPeerUs = firstBeatUs == long.MinValue ? _lastUs + intervalUs : firstBeatUs;
        }
        else
        {
            _peerIntervalUs = intervalUs; // running: the next fast beat keeps its time
        }
    }

    /// <summary>A group beat is being sent now: the next one is one (jittered) period away.</summary>
    public void StartGroupBeat(long nowUs)
    {
        _lastUs = nowUs;
        _nextUs = nowUs + Jittered(_intervalUs);
    }

    /// <summary>The group beat went out (it reached the fast peers too): the fast period restarts.</summary>
    public void GroupBeatSent(long nowUs)
    {
        if (_peerIntervalUs != long.MaxValue)
        {
            _nextPeerUs = nowUs + Jittered(_peerIntervalUs);
        }
    }

    /// <summary>A fast beat is being sent now.</summary>
    public void StartPeerBeat(long nowUs) => _nextPeerUs = nowUs + Jittered(_peerIntervalUs);

    /// <summary>The fast beat went out; if the section writer turned the fast beats off meanwhile, none is due.</summary>
    public void PeerBeatSent()
    {
        if (_peerIntervalUs == long.MaxValue)
        {
            _nextPeerUs = long.MaxValue;
        }
    }

    /// <summary>One period drawn from [1 - jitter, 1 + jitter] × <paramref name="period"/> (no draw without jitter).</summary>
    private long Jittered(long period) =>
        _jitter > 0 ? Math.Max(1, (long)(period * (1 - _jitter + (2 * _jitter * _random.NextDouble())))) : period;
}
