namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// The configured voters, sorted by id: who may vote and stand, each voter's position (the index of its per-voter
/// state), and the quorum (a majority of the roster).
/// </summary>
internal sealed class VoterRoster
{
    private readonly NodeId[] _ids;

    /// <summary>Sorts and checks <paramref name="voters"/>.</summary>
    /// <exception cref="ArgumentException">Empty, or an id that is 0 or repeated.</exception>
    public VoterRoster(ReadOnlySpan<NodeId> voters)
    {
        if (voters.IsEmpty)
        {
            throw new ArgumentException("The roster of voters must not be empty.", nameof(voters));
        }

        _ids = voters.ToArray();
        Array.Sort(_ids, static (a, b) => a.Value.CompareTo(b.Value));
        for (int i = 0; i < _ids.Length; i++)
        {
            if (!_ids[i].IsValid || (i > 0 && _ids[i] == _ids[i - 1]))
            {
                throw new ArgumentException($"The roster contains an invalid or duplicate id ({_ids[i]}).", nameof(voters));
            }
        }
    }

    /// <summary>The voters, sorted by id.</summary>
    public ReadOnlySpan<NodeId> Ids => _ids;

    /// <summary>Number of voters.</summary>
    public int Count => _ids.Length;

    /// <summary>A majority of the roster.</summary>
    public int Quorum => (_ids.Length / 2) + 1;

    /// <summary>Is <paramref name="node"/> a voter?</summary>
    public bool Contains(NodeId node) => PositionOf(node) >= 0;

    /// <summary>The 0-based position of <paramref name="node"/> in <see cref="Ids"/>, or -1 when it is not a voter.</summary>
    public int PositionOf(NodeId node)
    {
        int lo = 0, hi = _ids.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            uint v = _ids[mid].Value;
            if (v == node.Value)
            {
                return mid;
            }

            if (v < node.Value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }
}
