using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// A (pre-)vote request (<see cref="MessageType.VoteRequest"/> / <see cref="MessageType.PreVoteRequest"/>). The candidate
/// is the datagram's sender.
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
public readonly record struct VoteRequestFrame(ulong Term, ulong LastLogIndex, ulong LastLogTerm, bool PreVote)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = 25;

    /// <summary>The datagram type that carries this request.</summary>
    public MessageType Type => PreVote ? MessageType.PreVoteRequest : MessageType.VoteRequest;

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

    /// <summary>Parses a request; false when too short, the term is not in 1..<see cref="WireLimits.MaxTerm"/>, unknown flags
    /// are set, the log term exceeds the term, or the log index exceeds <see cref="WireLimits.MaxLogIndex"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out VoteRequestFrame request)
    {
        request = default;
        if (source.Length < Size || (source[24] & ~1) != 0)
        {
            return false;
        }

        var r = new VoteRequestFrame(
            BinaryPrimitives.ReadUInt64BigEndian(source),
            BinaryPrimitives.ReadUInt64BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[16..]),
            source[24] == 1);
        if (!WireLimits.IsValidTerm(r.Term) || r.LastLogTerm > r.Term || r.LastLogIndex > WireLimits.MaxLogIndex)
        {
            return false;
        }

        request = r;
        return true;
    }
}
