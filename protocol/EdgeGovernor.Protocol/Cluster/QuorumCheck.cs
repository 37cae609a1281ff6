namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// Raft's CheckQuorum at the coordinator: when each voter was last heard, and the periodic check that a quorum of the
/// roster was heard within <see cref="WindowUs"/>. Contact times are kept from the first leadership on (allocated then:
/// a follower needs none).
/// </summary>
internal sealed class QuorumCheck
{
    private readonly int _voters;
    private long[]? _lastContactUs;

    /// <summary>A check over a roster of <paramref name="voters"/> with the window <paramref name="windowUs"/>.</summary>
    public QuorumCheck(int voters, long windowUs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(voters);
        _voters = voters;
        WindowUs = windowUs;
    }

    /// <summary>The window a quorum must have been heard in; the owner raises it to cover the members' heartbeat period.</summary>
    public long WindowUs { get; set; }

    /// <summary>When the next check is due (<see cref="long.MaxValue"/>: not leading).</summary>
    public long NextCheckUs { get; private set; } = long.MaxValue;

    /// <summary>
    /// Leadership begins at <paramref name="nowUs"/>: everyone who voted was just heard, so every voter counts as heard
    /// now (a fresh window), and the first check is one window away.
    /// </summary>
    public void Start(long nowUs)
    {
        NextCheckUs = nowUs + WindowUs;
        _lastContactUs ??= new long[_voters];
        for (int i = 0; i < _lastContactUs.Length; i++)
        {
            _lastContactUs[i] = Math.Max(_lastContactUs[i], nowUs);
        }
    }

    /// <summary>Leadership ended: no more checks.</summary>
    public void Stop() => NextCheckUs = long.MaxValue;

    /// <summary>The voter at <paramref name="position"/> was heard at <paramref name="nowUs"/> (ignored before the first leadership).</summary>
    public void NoteContact(int position, long nowUs)
    {
        if (_lastContactUs is not null && position >= 0 && nowUs > _lastContactUs[position])
        {
            _lastContactUs[position] = nowUs;
        }
    }

    /// <summary>
    /// The due check (call at or after <see cref="NextCheckUs"/>): true, and the next check a quarter window later, when
    /// <paramref name="quorum"/> voters (this node at <paramref name="selfPosition"/> included) were heard within the
    /// window; false when the coordinator must step down.
    /// </summary>
    public bool Passes(long nowUs, int selfPosition, int quorum)
    {
        int heard = 0;
        long since = nowUs - WindowUs;
        for (int i = 0; i < _voters; i++)
        {
            if (i == selfPosition || (_lastContactUs is not null && _lastContactUs[i] >= since))
            {
                heard++;
            }
        }

        if (heard < quorum)
        {
            return false;
        }

        NextCheckUs = nowUs + Math.Max(WindowUs / 4, 1);
        return true;
    }
}
