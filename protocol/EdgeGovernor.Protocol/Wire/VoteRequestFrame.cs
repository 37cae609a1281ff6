using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// A (pre-)vote request (<see cref="MessageType.VoteRequest"/> / <see cref="MessageType.PreVoteRequest"/>). The candidate
/// is the datagram's sender.
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="Size"/> = 89 bytes):
/// <code>
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |                     term (uint64): candidate's term, +1 for a pre-vote |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |                     last log index (uint64)                           |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |                     last log term (uint64)                            |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// | flags  |  bit 0: pre-vote
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |   signature (64 bytes, Ed25519, the candidate's key) over the datagram prefix  |
/// |   (SignatureFormat: type, cluster id, sender, incarnation, header term) and    |
/// |   bytes 0..24 above                                                            |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// </code>
/// The reader checks the fields; the cluster layer verifies the signature (<see cref="Signature"/>) before the
/// election sees the request.
/// </remarks>
/// <param name="Term">The term the candidate stands in (for a pre-vote: the term it would stand in).</param>
/// <param name="LastLogIndex">Index of the candidate's last price record.</param>
/// <param name="LastLogTerm">Term of the candidate's last price record.</param>
/// <param name="PreVote">True for PreVote's trial round, which changes no state at the voter.</param>
public readonly record struct VoteRequestFrame(ulong Term, ulong LastLogIndex, ulong LastLogTerm, bool PreVote)
{
    /// <summary>Bytes covered by the signature (after the datagram prefix).</summary>
    public const int SignedSize = 25;

    /// <summary>Encoded size in bytes, the signature included.</summary>
    public const int Size = SignedSize + SignatureFormat.SignatureSize;

    /// <summary>The datagram type that carries this request.</summary>
    public MessageType Type => PreVote ? MessageType.PreVoteRequest : MessageType.VoteRequest;

    /// <summary>The signature of an encoded request (<see cref="TryRead"/> checked its length).</summary>
    public static ReadOnlySpan<byte> Signature(ReadOnlySpan<byte> source) => source.Slice(SignedSize, SignatureFormat.SignatureSize);

    /// <summary>Where the signature of an encoded request goes.</summary>
    public static Span<byte> SignatureArea(Span<byte> destination) => destination.Slice(SignedSize, SignatureFormat.SignatureSize);

    /// <summary>Writes the request's fields (bytes 0..<see cref="SignedSize"/>; the signer fills <see cref="SignatureArea"/>);
    /// false when <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
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

    /// <summary>Parses a request; false when shorter than <see cref="Size"/>, the term is not in 1..<see cref="WireLimits.MaxTerm"/>, unknown flags
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
