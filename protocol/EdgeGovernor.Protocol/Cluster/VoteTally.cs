namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// The grants of one (pre-)vote round, per roster position, each counted once. The per-voter flags are allocated at the
/// first round (only candidates need them, which keeps a 10,000-voter simulation small); before it nothing is counted.
/// </summary>
internal sealed class VoteTally
{
    private readonly int _voters;
    private bool[]? _granted;

    /// <summary>A tally for a roster of <paramref name="voters"/>.</summary>
    public VoteTally(int voters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(voters);
        _voters = voters;
    }

    /// <summary>Grants counted in the current round.</summary>
    public int Grants { get; private set; }

    /// <summary>Starts a round with no grants.</summary>
    public void StartRound()
    {
        _granted ??= new bool[_voters];
        Array.Clear(_granted);
        Grants = 0;
    }

    /// <summary>Counts the grant of the voter at <paramref name="position"/>; false when no round was ever started or it was counted already.</summary>
    public bool TryGrant(int position)
    {
        if (_granted is null || _granted[position])
        {
            return false;
        }

        _granted[position] = true;
        Grants++;
        return true;
    }
}
