using System.Buffers.Binary;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// A board's digest of a contract as it holds it, mirrored to the partner's point of view (see
/// <see cref="ContractTerms"/>), sent to that partner only, over reliable unicast, on start and every few minutes; signed
/// with the sender board's own Ed25519 key so that no third board can make a contract look matched.
/// <code>
///  0        1                5                9                                 41                                105
///  +--------+----------------+----------------+---------------------------------+---------------------------------+
///  | kind   | sender u32 BE  | partner u32 BE | digest (SHA-256, 32 B)          | Ed25519 signature over 0..41    |
///  | 0xD1   |                |                |                                 | (64 B)                          |
///  +--------+----------------+----------------+---------------------------------+---------------------------------+
/// </code>
/// </summary>
/// <param name="Sender">The board that holds the contract and signed the message.</param>
/// <param name="Partner">The board it is addressed to (the contract's partner).</param>
/// <param name="Digest">The sender's view mirrored to the partner's (32 bytes).</param>
internal readonly record struct ContractDigestMessage(uint Sender, uint Partner, ReadOnlyMemory<byte> Digest)
{
    /// <summary>The kind byte.</summary>
    public const byte Kind = 0xD1;

    /// <summary>Bytes the signature covers.</summary>
    public const int SignedSize = 41;

    /// <summary>Size of a message.</summary>
    public const int Size = SignedSize + SignatureFormat.SignatureSize;

    /// <summary>Writes and signs the message into <paramref name="destination"/>; false when it is too small.</summary>
    public bool TryWrite(Span<byte> destination, IMessageSigner signer, out int written)
    {
        ArgumentNullException.ThrowIfNull(signer);
        written = 0;
        if (destination.Length < Size || Digest.Length != ContractTerms.DigestSize)
        {
            return false;
        }
        destination[0] = Kind;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], Sender);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], Partner);
        Digest.Span.CopyTo(destination[9..]);
        signer.Sign(destination[..SignedSize], destination.Slice(SignedSize, SignatureFormat.SignatureSize));
        written = Size;
        return true;
    }

    /// <summary>
    /// Reads a message received from <paramref name="from"/> by board <paramref name="self"/>: null when it is well-formed,
    /// from that board, addressed here and signed by it; otherwise what is wrong (for the counter and the log).
    /// </summary>
    public static string? TryRead(ReadOnlySpan<byte> payload, uint from, uint self, ISignatureVerifier verifier, out ContractDigestMessage message)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        message = default;
        if (payload.Length != Size || payload[0] != Kind)
        {
            return $"not a contract digest ({payload.Length} bytes, expected {Size})";
        }
        uint sender = BinaryPrimitives.ReadUInt32BigEndian(payload[1..]);
        uint partner = BinaryPrimitives.ReadUInt32BigEndian(payload[5..]);
        if (sender != from || partner != self)
        {
            return $"contract digest names sender {sender} and partner {partner}, but came from node {from} to node {self}";
        }
        if (!verifier.Verify(new NodeId(sender), payload[..SignedSize], payload.Slice(SignedSize, SignatureFormat.SignatureSize)))
        {
            return $"contract digest from node {from} has a bad signature";
        }
        message = new ContractDigestMessage(sender, partner, payload.Slice(9, ContractTerms.DigestSize).ToArray());
        return null;
    }
}
