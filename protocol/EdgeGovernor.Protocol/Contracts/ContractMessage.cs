using System.Buffers.Binary;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// One load-contract message as it travels between the two partners' boards: the payload of a reliable unicast
/// message (<see cref="ProtocolNode.TrySend(NodeId, byte, ReadOnlySpan{byte}, long)"/> on
/// <see cref="ContractExchangeOptions.Channel"/>; never multicast, contracts are private to the two), signed with the
/// sender's own board key. A value holding any of the kinds: <see cref="Offer"/>, <see cref="Answer"/>,
/// <see cref="Decision"/>, <see cref="Done"/>, <see cref="Ack"/>, <see cref="Query"/>.
/// </summary>
/// <remarks>
/// Wire layout (network byte order; <see cref="HeaderSize"/> + body + <see cref="SignatureFormat.SignatureSize"/>, at most
/// <see cref="MaxSize"/> = 114 bytes):
/// <code>
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |  kind  |          from (u32)               |           to (u32)                |
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |  body: ContractOffer (41) | ContractAnswer (13) | ContractDecision (12) |        ...
/// |        ContractDone (16)  | ContractAck (12)    | ContractOutcomeQuery (12)      ...
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |  signature (64 bytes, Ed25519, the sender's board key) over the prefix         |
/// |  0xC7, cluster id (u32) and every byte above                                   |
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// </code>
/// The prefix's first byte (<see cref="SignatureDomain"/>) is outside the datagram types (1..127) and differs from the
/// price records' 0xA5, so no other signature verifies as a contract message. The signature binds sender and
/// recipient: a message replayed to another board names the wrong recipient and is dropped. A replay to the right board
/// is harmless: every step is idempotent per transfer id. <see cref="TryRead"/> checks the structure and every field;
/// <see cref="VerifySignature"/> the signature (the exchange does both before acting).
/// </remarks>
/// <param name="Kind">The message kind.</param>
/// <param name="From">The sending board (the signer).</param>
/// <param name="To">The receiving board.</param>
/// <param name="Transfer">The transfer the message is about (every kind).</param>
/// <param name="Offer">The offer (kind <see cref="ContractMessageKind.Offer"/>; default otherwise).</param>
/// <param name="Reason">The refusal reason (kind <see cref="ContractMessageKind.Refuse"/>; <see cref="RefuseReason.None"/> otherwise).</param>
/// <param name="UnitsRun">Units run (kind <see cref="ContractMessageKind.Done"/>; 0 otherwise).</param>
public readonly record struct ContractMessage(
    ContractMessageKind Kind,
    NodeId From,
    NodeId To,
    TransferId Transfer,
    ContractOffer Offer = default,
    RefuseReason Reason = RefuseReason.None,
    uint UnitsRun = 0)
{
    /// <summary>Bytes before the body (kind, from, to).</summary>
    public const int HeaderSize = 9;

    /// <summary>The first byte of the signed prefix.</summary>
    public const byte SignatureDomain = 0xC7;

    /// <summary>Size of the signed prefix (domain, cluster id).</summary>
    public const int PrefixSize = 5;

    /// <summary>Largest encoded message (an offer).</summary>
    public const int MaxSize = HeaderSize + ContractOffer.Size + SignatureFormat.SignatureSize;

    /// <summary>Largest signed byte string (prefix, header, offer).</summary>
    public const int MaxSignedSize = PrefixSize + HeaderSize + ContractOffer.Size;

    /// <summary>An offer from its owner to <paramref name="to"/>.</summary>
    public static ContractMessage ForOffer(NodeId to, in ContractOffer offer) =>
        new(ContractMessageKind.Offer, offer.Transfer.Owner, to, offer.Transfer, offer);

    /// <summary>An accept (<paramref name="reason"/> <see cref="RefuseReason.None"/>) or refusal from <paramref name="from"/> to the owner.</summary>
    public static ContractMessage ForAnswer(NodeId from, TransferId transfer, RefuseReason reason) =>
        new(reason == RefuseReason.None ? ContractMessageKind.Accept : ContractMessageKind.Refuse, from, transfer.Owner, transfer, Reason: reason);

    /// <summary>The owner's commit or abort to <paramref name="to"/>.</summary>
    public static ContractMessage ForDecision(NodeId to, TransferId transfer, bool commit) =>
        new(commit ? ContractMessageKind.Commit : ContractMessageKind.Abort, transfer.Owner, to, transfer);

    /// <summary>A done report from <paramref name="from"/> to the owner.</summary>
    public static ContractMessage ForDone(NodeId from, TransferId transfer, uint unitsRun) =>
        new(ContractMessageKind.Done, from, transfer.Owner, transfer, UnitsRun: unitsRun);

    /// <summary>The owner's acknowledgement of a done report to <paramref name="to"/>.</summary>
    public static ContractMessage ForAck(NodeId to, TransferId transfer) => new(ContractMessageKind.Ack, transfer.Owner, to, transfer);

    /// <summary>An outcome query from <paramref name="from"/> to the owner.</summary>
    public static ContractMessage ForQuery(NodeId from, TransferId transfer) => new(ContractMessageKind.OutcomeQuery, from, transfer.Owner, transfer);

    /// <summary>The answer part of an accept or refusal.</summary>
    public ContractAnswer Answer => new(Transfer, Reason);

    /// <summary>The decision part of a commit or abort.</summary>
    public ContractDecision Decision => new(Transfer, Kind == ContractMessageKind.Commit);

    /// <summary>The done part of a done report.</summary>
    public ContractDone Done => new(Transfer, UnitsRun);

    /// <summary>The acknowledgement part.</summary>
    public ContractAck Ack => new(Transfer);

    /// <summary>The query part.</summary>
    public ContractOutcomeQuery Query => new(Transfer);

    /// <summary>Body size of <paramref name="kind"/>, or -1 for an unknown kind.</summary>
    public static int BodySize(ContractMessageKind kind) => kind switch
    {
        ContractMessageKind.Offer => ContractOffer.Size,
        ContractMessageKind.Accept or ContractMessageKind.Refuse => ContractAnswer.Size,
        ContractMessageKind.Commit or ContractMessageKind.Abort => ContractDecision.Size,
        ContractMessageKind.Done => ContractDone.Size,
        ContractMessageKind.Ack => ContractAck.Size,
        ContractMessageKind.OutcomeQuery => ContractOutcomeQuery.Size,
        _ => -1,
    };

    /// <summary>Encoded size of this message, the signature included.</summary>
    public int EncodedSize => HeaderSize + BodySize(Kind) + SignatureFormat.SignatureSize;

    /// <summary>
    /// Writes and signs the message: header and body, then <paramref name="signer"/>'s signature over the prefix
    /// (<see cref="SignatureDomain"/>, <paramref name="clusterId"/>) and those bytes. Returns the bytes written, or 0
    /// when <paramref name="destination"/> is shorter than <see cref="EncodedSize"/> or the kind is unknown. Allocates nothing.
    /// </summary>
    public int TryWrite(Span<byte> destination, uint clusterId, IMessageSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        int body = BodySize(Kind);
        if (body < 0 || destination.Length < HeaderSize + body + SignatureFormat.SignatureSize)
        {
            return 0;
        }

        destination[0] = (byte)Kind;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], From.Value);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], To.Value);
        Span<byte> b = destination.Slice(HeaderSize, body);
        bool written = Kind switch
        {
            ContractMessageKind.Offer => Offer.TryWrite(b),
            ContractMessageKind.Accept or ContractMessageKind.Refuse => Answer.TryWrite(b),
            ContractMessageKind.Commit or ContractMessageKind.Abort => Decision.TryWrite(b),
            ContractMessageKind.Done => Done.TryWrite(b),
            ContractMessageKind.Ack => Ack.TryWrite(b),
            _ => Query.TryWrite(b),
        };
        if (!written)
        {
            return 0;
        }

        int signedLength = HeaderSize + body;
        Span<byte> signed = stackalloc byte[MaxSignedSize];
        int length = WriteSigned(signed, clusterId, destination[..signedLength]);
        signer.Sign(signed[..length], destination.Slice(signedLength, SignatureFormat.SignatureSize));
        return signedLength + SignatureFormat.SignatureSize;
    }

    /// <summary>
    /// Parses a message; false (never an exception) when the length is not exactly header + the kind's body + signature,
    /// the kind is unknown, from or to is node 0 or they are equal, the body is malformed (each body's <c>TryRead</c>), or
    /// the transfer's owner does not fit the kind (offers, decisions and acknowledgements come from the owner; answers,
    /// done reports and queries go to it). The signature is not checked here (<see cref="VerifySignature"/>).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ContractMessage message)
    {
        message = default;
        if (source.Length < HeaderSize)
        {
            return false;
        }

        var kind = (ContractMessageKind)source[0];
        int body = BodySize(kind);
        if (body < 0 || source.Length != HeaderSize + body + SignatureFormat.SignatureSize)
        {
            return false;
        }

        var from = new NodeId(BinaryPrimitives.ReadUInt32BigEndian(source[1..]));
        var to = new NodeId(BinaryPrimitives.ReadUInt32BigEndian(source[5..]));
        if (!from.IsValid || !to.IsValid || from == to)
        {
            return false;
        }

        ReadOnlySpan<byte> b = source.Slice(HeaderSize, body);
        ContractMessage read;
        switch (kind)
        {
            case ContractMessageKind.Offer:
                if (!ContractOffer.TryRead(b, out ContractOffer offer))
                {
                    return false;
                }
                read = new ContractMessage(kind, from, to, offer.Transfer, offer);
                break;
            case ContractMessageKind.Accept or ContractMessageKind.Refuse:
                if (!ContractAnswer.TryRead(b, kind, out ContractAnswer answer))
                {
                    return false;
                }
                read = new ContractMessage(kind, from, to, answer.Transfer, Reason: answer.Reason);
                break;
            case ContractMessageKind.Commit or ContractMessageKind.Abort:
                if (!ContractDecision.TryRead(b, kind, out ContractDecision decision))
                {
                    return false;
                }
                read = new ContractMessage(kind, from, to, decision.Transfer);
                break;
            case ContractMessageKind.Done:
                if (!ContractDone.TryRead(b, out ContractDone done))
                {
                    return false;
                }
                read = new ContractMessage(kind, from, to, done.Transfer, UnitsRun: done.UnitsRun);
                break;
            case ContractMessageKind.Ack:
                if (!ContractAck.TryRead(b, out ContractAck ack))
                {
                    return false;
                }
                read = new ContractMessage(kind, from, to, ack.Transfer);
                break;
            default:
                if (!ContractOutcomeQuery.TryRead(b, out ContractOutcomeQuery query))
                {
                    return false;
                }
                read = new ContractMessage(kind, from, to, query.Transfer);
                break;
        }

        if (!read.OwnerFits)
        {
            return false;
        }

        message = read;
        return true;
    }

    /// <summary>True when the signature of the encoded message <paramref name="source"/> (parsed by
    /// <see cref="TryRead"/>) is its sender's. Allocates nothing.</summary>
    public static bool VerifySignature(ReadOnlySpan<byte> source, uint clusterId, ISignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        if (source.Length < HeaderSize + SignatureFormat.SignatureSize || source.Length > MaxSize)
        {
            return false;
        }

        int signedLength = source.Length - SignatureFormat.SignatureSize;
        Span<byte> signed = stackalloc byte[MaxSignedSize];
        int length = WriteSigned(signed, clusterId, source[..signedLength]);
        var from = new NodeId(BinaryPrimitives.ReadUInt32BigEndian(source[1..]));
        return verifier.Verify(from, signed[..length], source[signedLength..]);
    }

    private bool OwnerFits => Kind switch
    {
        ContractMessageKind.Offer or ContractMessageKind.Commit or ContractMessageKind.Abort or ContractMessageKind.Ack => Transfer.Owner == From,
        _ => Transfer.Owner == To,
    };

    private static int WriteSigned(Span<byte> destination, uint clusterId, ReadOnlySpan<byte> message)
    {
        destination[0] = SignatureDomain;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], clusterId);
        message.CopyTo(destination[PrefixSize..]);
        return PrefixSize + message.Length;
    }
}
