using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// A (pre-)vote request. The candidate is the datagram's sender.
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="Size"/> = 25 bytes):
/// <code>
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |                     term (uint64): candidate's term, +1 for a pre-vote |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |                     last log index (uint64)                           |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |                     last log term (uint64)                            |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// | flags  |  bit 0: pre-vote
/// +--------+
/// </code>
/// </remarks>
/// <param name="Term">The term the candidate stands in (for a pre-vote: the term it would stand in).</param>
/// <param name="LastLogIndex">Index of the candidate's last price record.</param>
/// <param name="LastLogTerm">Term of the candidate's last price record.</param>
/// <param name="PreVote">True for PreVote's trial round, which changes no state at the voter.</param>
public readonly record struct VoteRequest(ulong Term, ulong LastLogIndex, ulong LastLogTerm, bool PreVote)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = 25;

    /// <summary>Writes the request; false when <paramref name="destination"/> is too short.</summary>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, Term);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], LastLogIndex);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], LastLogTerm);
        destination[24] = PreVote ? (byte)1 : (byte)0;
        return true;
    }

    /// <summary>Parses a request; false when too short, the term is 0, unknown flags are set, or the log term exceeds the term.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out VoteRequest request)
    {
        request = default;
        if (source.Length < Size || (source[24] & ~1) != 0)
        {
            return false;
        }

        var r = new VoteRequest(
            BinaryPrimitives.ReadUInt64BigEndian(source),
            BinaryPrimitives.ReadUInt64BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[16..]),
            source[24] == 1);
        if (r.Term == 0 || r.LastLogTerm > r.Term)
        {
            return false;
        }

        request = r;
        return true;
    }
}

/// <summary>A voter's answer to a <see cref="VoteRequest"/>.</summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="Size"/> = 9 bytes):
/// <code>
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |            term (uint64): the voter's term, or the pre-vote's term              | flags  |
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// flags: bit 0 granted, bit 1 pre-vote
/// </code>
/// </remarks>
/// <param name="Term">For a vote: the voter's current term. For a pre-vote: the term of the request when granted, else the voter's term.</param>
/// <param name="Granted">Whether the vote is granted.</param>
/// <param name="PreVote">Whether this answers a pre-vote.</param>
public readonly record struct VoteResponse(ulong Term, bool Granted, bool PreVote)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = 9;

    /// <summary>Writes the response; false when <paramref name="destination"/> is too short.</summary>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, Term);
        destination[8] = (byte)((Granted ? 1 : 0) | (PreVote ? 2 : 0));
        return true;
    }

    /// <summary>Parses a response; false when too short, the term is 0 or unknown flags are set.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out VoteResponse response)
    {
        response = default;
        if (source.Length < Size || (source[8] & ~3) != 0)
        {
            return false;
        }

        ulong term = BinaryPrimitives.ReadUInt64BigEndian(source);
        if (term == 0)
        {
            return false;
        }

        response = new VoteResponse(term, (source[8] & 1) != 0, (source[8] & 2) != 0);
        return true;
    }
}
