using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// A voter's answer to a <see cref="VoteRequestFrame"/> (<see cref="MessageType.VoteResponse"/> /
/// <see cref="MessageType.PreVoteResponse"/>). The voter is the datagram's sender.
/// </summary>
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
public readonly record struct VoteResponseFrame(ulong Term, bool Granted, bool PreVote)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = 9;

    /// <summary>The datagram type that carries this response.</summary>
    public MessageType Type => PreVote ? MessageType.PreVoteResponse : MessageType.VoteResponse;

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

    /// <summary>Parses a response; false when too short, the term is not in 1..<see cref="WireLimits.MaxTerm"/> or unknown
    /// flags are set.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out VoteResponseFrame response)
    {
        response = default;
        if (source.Length < Size || (source[8] & ~3) != 0)
        {
            return false;
        }

        ulong term = BinaryPrimitives.ReadUInt64BigEndian(source);
        if (!WireLimits.IsValidTerm(term))
        {
            return false;
        }

        response = new VoteResponseFrame(term, (source[8] & 1) != 0, (source[8] & 2) != 0);
        return true;
    }
}
