using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// A voter's answer to a <see cref="VoteRequestFrame"/> (<see cref="MessageType.VoteResponse"/> /
/// <see cref="MessageType.PreVoteResponse"/>). The voter is the datagram's sender.
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="Size"/> = 77 bytes):
/// <code>
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |            term (uint64): the voter's term, or the pre-vote's term              | flags  |
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |      candidate (uint32)           |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |   signature (64 bytes, Ed25519, the voter's key) over the datagram prefix      |
/// |   (SignatureFormat: type, cluster id, sender, incarnation, header term) and    |
/// |   bytes 0..12 above                                                            |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// flags: bit 0 granted, bit 1 pre-vote
/// </code>
/// Grants and refusals are both signed. The candidate is the node the answer is for: a grant cannot be redirected to
/// another candidate of the same term.
/// </remarks>
/// <param name="Term">For a vote: the voter's current term. For a pre-vote: the term of the request when granted, else the voter's term.</param>
/// <param name="Granted">Whether the vote is granted.</param>
/// <param name="PreVote">Whether this answers a pre-vote.</param>
/// <param name="Candidate">The candidate the answer is for.</param>
public readonly record struct VoteResponseFrame(ulong Term, bool Granted, bool PreVote, NodeId Candidate = default)
{
    /// <summary>Bytes covered by the signature (after the datagram prefix).</summary>
    public const int SignedSize = 13;

    /// <summary>Encoded size in bytes, the signature included.</summary>
    public const int Size = SignedSize + SignatureFormat.SignatureSize;

    /// <summary>The datagram type that carries this response.</summary>
    public MessageType Type => PreVote ? MessageType.PreVoteResponse : MessageType.VoteResponse;

    /// <summary>The signature of an encoded response (<see cref="TryRead"/> checked its length).</summary>
    public static ReadOnlySpan<byte> Signature(ReadOnlySpan<byte> source) => source.Slice(SignedSize, SignatureFormat.SignatureSize);

    /// <summary>Where the signature of an encoded response goes.</summary>
    public static Span<byte> SignatureArea(Span<byte> destination) => destination.Slice(SignedSize, SignatureFormat.SignatureSize);

    /// <summary>Writes the response's fields (bytes 0..<see cref="SignedSize"/>; the signer fills <see cref="SignatureArea"/>);
    /// false when <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, Term);
        destination[8] = (byte)((Granted ? 1 : 0) | (PreVote ? 2 : 0));
        BinaryPrimitives.WriteUInt32BigEndian(destination[9..], Candidate.Value);
        return true;
    }

    /// <summary>Parses a response; false when shorter than <see cref="Size"/>, the term is not in
    /// 1..<see cref="WireLimits.MaxTerm"/>, unknown flags are set or the candidate is node 0.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out VoteResponseFrame response)
    {
        response = default;
        if (source.Length < Size || (source[8] & ~3) != 0)
        {
            return false;
        }

        ulong term = BinaryPrimitives.ReadUInt64BigEndian(source);
        var candidate = new NodeId(BinaryPrimitives.ReadUInt32BigEndian(source[9..]));
        if (!WireLimits.IsValidTerm(term) || !candidate.IsValid)
        {
            return false;
        }

        response = new VoteResponseFrame(term, (source[8] & 1) != 0, (source[8] & 2) != 0, candidate);
        return true;
    }
}
