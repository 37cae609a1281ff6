using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// This node's side of the per-board signatures (<see cref="SignatureFormat"/>): signs what it sends with authority (vote
/// requests and responses, its heartbeat section as coordinator, the price records it makes) with its own key, and
/// verifies what others send against the roster's public keys before anything acts on it. A bad or missing signature is
/// refused: counted here (<see cref="Refused"/>) and in the node's counters as <see cref="DropReason.BadSignature"/>.
/// Numbers its own coordinator beats and keeps the last beat number taken from the coordinator it hears (replays are
/// refused). Nothing is allocated per message. Owned by <see cref="ClusterNode"/>.
/// </summary>
internal sealed class BoardSignatures
{
    private readonly ProtocolNode _node;
    private readonly IMessageSigner _signer;
    private readonly ISignatureVerifier _verifier;
    private readonly byte[] _message = new byte[SignatureFormat.MaxMessageSize];
    private ulong _ownBeat;
    private NodeId _beatSender;
    private ulong _beatIncarnation;
    private ulong _lastBeat;

    /// <summary>Signs as <paramref name="node"/> with <paramref name="signer"/>, verifies with <paramref name="verifier"/>.</summary>
    public BoardSignatures(ProtocolNode node, IMessageSigner signer, ISignatureVerifier verifier)
    {
        _node = node;
        _signer = signer;
        _verifier = verifier;
    }

    /// <summary>Messages refused for a bad or missing signature, a replayed beat or a misdirected vote.</summary>
    public long Refused { get; private set; }

    /// <summary>Signs the first <paramref name="signedSize"/> bytes of <paramref name="frame"/>, a datagram of
    /// <paramref name="type"/> this node sends now (with its current term), into <paramref name="signature"/>.</summary>
    public void SignDatagram(MessageType type, ReadOnlySpan<byte> frame, int signedSize, Span<byte> signature)
    {
        int prefix = SignatureFormat.WriteDatagramPrefix(_message, type, _node.Options.ClusterId, _node.Id, _node.Incarnation, _node.Term);
        frame[..signedSize].CopyTo(_message.AsSpan(prefix));
        _signer.Sign(_message.AsSpan(0, prefix + signedSize), signature);
    }

    /// <summary>True when <paramref name="signature"/> is the header's sender's signature of the datagram prefix and
    /// <paramref name="signed"/>; else refused and counted.</summary>
    public bool VerifyDatagram(in MessageHeader header, ReadOnlySpan<byte> signed, ReadOnlySpan<byte> signature)
    {
        int prefix = SignatureFormat.WriteDatagramPrefix(_message, header);
        signed.CopyTo(_message.AsSpan(prefix));
        return _verifier.Verify(header.Sender, _message.AsSpan(0, prefix + signed.Length), signature) || Refuse();
    }

    /// <summary>Signs an encoded price record (its fields written, this node as signer) in place.</summary>
    public void SignRecord(Span<byte> frame)
    {
        int prefix = SignatureFormat.WriteRecordPrefix(_message, _node.Options.ClusterId);
        frame[..PriceRecordFrame.SignedSize].CopyTo(_message.AsSpan(prefix));
        _signer.Sign(_message.AsSpan(0, prefix + PriceRecordFrame.SignedSize), PriceRecordFrame.SignatureArea(frame));
    }

    /// <summary>True when the encoded record carries <paramref name="signer"/>'s valid signature; else refused and counted.</summary>
    public bool VerifyRecord(ReadOnlySpan<byte> frame, NodeId signer)
    {
        int prefix = SignatureFormat.WriteRecordPrefix(_message, _node.Options.ClusterId);
        frame[..PriceRecordFrame.SignedSize].CopyTo(_message.AsSpan(prefix));
        return _verifier.Verify(signer, _message.AsSpan(0, prefix + PriceRecordFrame.SignedSize), PriceRecordFrame.Signature(frame)) || Refuse();
    }

    /// <summary>The number of this node's next coordinator beat.</summary>
    public ulong NextBeat() => ++_ownBeat;

    /// <summary>Takes a verified coordinator beat: true when its number is above the last one taken from the same sender
    /// incarnation (a new sender or incarnation starts afresh); else refused and counted as a replay.</summary>
    public bool TakeBeat(NodeId sender, ulong incarnation, ulong beat)
    {
        if (sender == _beatSender && incarnation == _beatIncarnation && beat <= _lastBeat)
        {
            return Refuse();
        }

        _beatSender = sender;
        _beatIncarnation = incarnation;
        _lastBeat = beat;
        return true;
    }

    /// <summary>Counts a refusal (also a misdirected vote response) and returns false.</summary>
    public bool Refuse()
    {
        Refused++;
        _node.Counters.Drop(DropReason.BadSignature);
        return false;
    }
}
