using System.Buffers.Binary;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// A board's digest of one contract as it holds it, mirrored to the partner's point of view (see
/// <see cref="ContractDefinition"/>), sent to that partner only, as a reliable unicast message on the digest channel,
/// on start and every few minutes; signed with the sender board's own Ed25519 key so that no third board can make a
/// contract look matched.
/// <code>
///  0        1                5                9                13                       45                      109
///  +--------+----------------+----------------+----------------+------------------------+------------------------+
///  | 0xD1   | sender u32 BE  | partner u32 BE | contract u32   | digest (SHA-256, 32 B) | Ed25519 signature (64) |
///  +--------+----------------+----------------+----------------+------------------------+------------------------+
/// </code>
/// The signature covers the prefix 0xD1, cluster id (u32 BE) and bytes 1..45: no other signed message of the project
/// starts with 0xD1 (contract messages 0xC7, price records 0xA5, datagrams their type 1..127).
/// </summary>
/// <param name="sender">The board that holds the contract and signed the message.</param>
/// <param name="partner">The board it is addressed to (the contract's partner).</param>
/// <param name="contractId">The contract.</param>
/// <param name="digest">The sender's view mirrored to the partner's (32 bytes).</param>
internal readonly struct ContractDigestMessage(uint sender, uint partner, uint contractId, ReadOnlyMemory<byte> digest)
{
    /// <summary>The board that holds the contract and signed the message.</summary>
    public uint Sender { get; } = sender;

    /// <summary>The board it is addressed to.</summary>
    public uint Partner { get; } = partner;

    /// <summary>The contract.</summary>
    public uint ContractId { get; } = contractId;

    /// <summary>The sender's view mirrored to the partner's (32 bytes).</summary>
    public ReadOnlyMemory<byte> Digest { get; } = digest;

    /// <summary>The kind byte, also the first byte of the signed prefix.</summary>
    public const byte Kind = 0xD1;

    /// <summary>Bytes before the signature.</summary>
    public const int BodySize = 45;

    /// <summary>Size of a message.</summary>
    public const int Size = BodySize + SignatureFormat.SignatureSize;

    private const int SignedSize = BodySize + 4;

    /// <summary>Writes and signs the message into <paramref name="destination"/>; false when it is too small.</summary>
    public bool TryWrite(Span<byte> destination, uint clusterId, IMessageSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (destination.Length < Size || Digest.Length != ContractDefinition.DigestSize)
        {
            return false;
        }
        destination[0] = Kind;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], Sender);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], Partner);
        BinaryPrimitives.WriteUInt32BigEndian(destination[9..], ContractId);
        Digest.Span.CopyTo(destination[13..]);
        Span<byte> signed = stackalloc byte[SignedSize];
        Signed(destination, clusterId, signed);
        signer.Sign(signed, destination.Slice(BodySize, SignatureFormat.SignatureSize));
        return true;
    }

    /// <summary>
    /// Reads a message received from <paramref name="from"/> by board <paramref name="self"/>: null when it is well-formed,
    /// from that board, addressed here and signed by it; otherwise what is wrong (for the counter and the log).
    /// </summary>
    public static string? TryRead(ReadOnlySpan<byte> payload, uint from, uint self, uint clusterId, ISignatureVerifier verifier, out ContractDigestMessage message)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        message = default;
        if (payload.Length != Size || payload[0] != Kind)
        {
            return $"not a contract digest ({payload.Length} bytes, expected {Size} starting 0x{Kind:X2})";
        }
        uint sender = BinaryPrimitives.ReadUInt32BigEndian(payload[1..]);
        uint partner = BinaryPrimitives.ReadUInt32BigEndian(payload[5..]);
        if (sender != from || partner != self)
        {
            return $"contract digest names sender {sender} and partner {partner}, but came from node {from} to node {self}";
        }
        Span<byte> signed = stackalloc byte[SignedSize];
        Signed(payload, clusterId, signed);
        if (!verifier.Verify(new NodeId(sender), signed, payload.Slice(BodySize, SignatureFormat.SignatureSize)))
        {
            return $"contract digest from node {from} is not signed by its board key";
        }
        message = new ContractDigestMessage(sender, partner, BinaryPrimitives.ReadUInt32BigEndian(payload[9..]),
            payload.Slice(13, ContractDefinition.DigestSize).ToArray());
        return null;
    }

    private static void Signed(ReadOnlySpan<byte> body, uint clusterId, Span<byte> signed)
    {
        signed[0] = Kind;
        BinaryPrimitives.WriteUInt32BigEndian(signed[1..], clusterId);
        body[1..BodySize].CopyTo(signed[5..]);
    }
}
