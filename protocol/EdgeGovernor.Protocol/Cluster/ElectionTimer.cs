namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// When a follower stands for election: an explicit deadline (a named alternate's slot, plain Raft's randomized timeout)
/// or the ranked full election, whose deadline follows the node's succession rank as it changes: counted from a start
/// time, after the alternates' slots, <see cref="ElectionOptions.ElectionBaseUs"/>, rank ×
/// <see cref="ElectionOptions.RankStaggerUs"/> and a small jitter (ranks past <see cref="ElectionOptions.MaxStaggeredRanks"/>
/// share randomized slots). Scheduling draws from the random source: two draws for a ranked election (jitter, then the
/// shared slot), one for plain Raft's timeout.
/// </summary>
internal sealed class ElectionTimer
{
    private readonly ElectionOptions _options;
    private readonly IRandomSource _random;
    private long _explicitUs = long.MaxValue;
    private long _fullFromUs = long.MaxValue;   // ranked full election: counted from here
    private int _fullAhead;                     // alternates' slots before the full election
    private long _fullJitterUs;
    private long _fullRandomSlots;

    /// <summary>A timer with nothing scheduled.</summary>
    public ElectionTimer(ElectionOptions options, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        _options = options;
        _random = random;
    }

    /// <summary>When a node of succession rank <paramref name="rank"/> stands (<see cref="long.MaxValue"/>: not scheduled).</summary>
    public long DeadlineUs(int rank)
    {
        if (_fullFromUs == long.MaxValue)
        {
            return _explicitUs;
        }

        long slots = rank < _options.MaxStaggeredRanks ? rank : _fullRandomSlots;
        long ranked = _fullFromUs + (_fullAhead * _options.AlternateDelayUs) + _options.ElectionBaseUs
            + (slots * _options.RankStaggerUs) + _fullJitterUs;
        return Math.Min(_explicitUs, ranked);
    }

    /// <summary>
    /// Schedules the full election counted from <paramref name="fromUs"/>, after <paramref name="alternatesAhead"/>
    /// alternates' slots (plain Raft: a randomized timeout in [T, 2T] after those slots).
    /// </summary>
    public void ScheduleFull(long fromUs, int alternatesAhead)
    {
        Clear();
        if (!_options.UseRanking)
        {
            _explicitUs = fromUs + (alternatesAhead * _options.AlternateDelayUs) + PlainTimeout();
            return;
        }

        _fullFromUs = fromUs;
        _fullAhead = alternatesAhead;
        _fullJitterUs = (long)(_random.NextDouble() * (_options.RankStaggerUs / 4));
        _fullRandomSlots = _options.MaxStaggeredRanks + (long)(_random.NextDouble() * _options.MaxStaggeredRanks);
    }

    /// <summary>Stands at exactly <paramref name="deadlineUs"/> (a named alternate's slot).</summary>
    public void ScheduleAt(long deadlineUs)
    {
        Clear();
        _explicitUs = deadlineUs;
    }

    /// <summary>Nothing scheduled.</summary>
    public void Clear()
    {
        _explicitUs = long.MaxValue;
        _fullFromUs = long.MaxValue;
    }

    private long PlainTimeout() =>
        _options.PlainElectionTimeoutUs + (long)(_random.NextDouble() * _options.PlainElectionTimeoutUs);
}
