using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Contract digest messages (unicast channel 3) into board 1 of <see cref="ContractBoard"/>, which holds contract 1 with
/// board 2. The first byte: bit 0 clear, the rest is the payload as received; set, the harness signs it (the rest's first
/// 45 bytes, zero-padded, are the body, its byte 0 replaced by the kind; the signature is the key of the sender it names,
/// board 2's when that is no board), so mutations of the contract id and the digest reach the agreement. Bit 1 picks the
/// node it came from: board 2 (the partner) or board 3 (no contract with board 1). Each input is decoded by
/// <see cref="ContractDigestMessage.TryRead"/>, then handled by a freshly started <see cref="ContractHost"/>
/// (<see cref="ContractHost.OnUnicast"/>) and one contract turn that offers when the contract is active. Checked: the
/// contract is matched exactly when a digest decoded from board 2 names contract 1 and holds board 2's mirrored view, and
/// a refused digest is counted. Any exception is a finding.
/// </summary>
internal sealed class ContractDigestTarget : IFuzzTarget
{
    private byte[]? _partnerView;
    private byte[]? _payload;

    public string Name => "contract-digest";

    public string Description => "contract digest messages (ContractDigestMessage.TryRead, ContractHost's digest channel)";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        _partnerView ??= ContractDefinition.FromConfig(ContractBoard.Config(2))[0].MirroredDigest;
        _payload ??= new byte[ContractDigestMessage.Size];
        uint from = (input[0] & 2) == 0 ? 2u : 3u;
        ReadOnlySpan<byte> payload = (input[0] & 1) == 0 ? input[1..] : Signed(input[1..]);

        string? why = ContractDigestMessage.TryRead(payload, from, 1, FuzzKeys.ClusterId, FuzzSigning.Roster, out ContractDigestMessage message);
        bool decoded = why is null;
        if (decoded && (message.Sender != from || message.Partner != 1 || message.Digest.Length != ContractDefinition.DigestSize))
        {
            throw new InvalidOperationException($"decoded a digest from {message.Sender} to {message.Partner} of {message.Digest.Length} bytes");
        }

        ContractHost host = ContractBoard.Start(new InMemoryContractJournal());
        ContractAgreement agreement = host.Agreements[0];
        host.OnUnicast(new NodeId(from), ContractHost.DigestChannel, payload, ContractBoard.NowUs + 1_000);
        bool matched = decoded && from == 2 && message.ContractId == ContractBoard.ContractId && message.Digest.Span.SequenceEqual(_partnerView);
        if (agreement.Matched != matched)
        {
            throw new InvalidOperationException($"digest {(decoded ? "decoded" : why)}: the contract is {(agreement.Matched ? "" : "un")}matched");
        }
        if (agreement.DigestsRefused != (from == 2 && !decoded ? 1 : 0))
        {
            throw new InvalidOperationException($"{agreement.DigestsRefused} digests refused counted for a digest {(decoded ? "decoded" : why)}");
        }
        ContractBoard.Step(host, 1, decide: true);
        agreement.TakeReport();
    }

    public IEnumerable<byte[]> Seeds()
    {
        // A real signed digest from board 2, written by the firmware's writer from board 2's configuration.
        ContractDefinition partner = ContractDefinition.FromConfig(ContractBoard.Config(2))[0];
        byte[] wire = new byte[ContractDigestMessage.Size];
        if (!new ContractDigestMessage(2, 1, ContractBoard.ContractId, partner.MirroredDigest).TryWrite(wire, FuzzKeys.ClusterId, FuzzSigning.Signer(2)))
        {
            throw new InvalidOperationException("the seed digest was not written");
        }
        yield return [0, .. wire]; // from board 2 as received: matches
        yield return [1, .. wire[..ContractDigestMessage.BodySize]]; // the same body, signed by the harness
        yield return [2, .. wire]; // the same bytes from board 3
        byte[] differing = [.. wire[..ContractDigestMessage.BodySize]];
        differing[20] ^= 1;
        yield return [1, .. differing]; // board 2 holds other terms
        yield return [0, .. wire[..^1]]; // cut short
    }

    /// <summary>The payload of <paramref name="body"/> signed by the harness (see the type's summary).</summary>
    private byte[] Signed(ReadOnlySpan<byte> body)
    {
        byte[] payload = _payload!;
        Array.Clear(payload);
        body[..Math.Min(body.Length, ContractDigestMessage.BodySize)].CopyTo(payload);
        uint sender = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(1));
        uint partner = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(5));
        uint contract = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(9));
        byte[] digest = payload.AsSpan(13, ContractDefinition.DigestSize).ToArray();
        var message = new ContractDigestMessage(sender, partner, contract, digest);
        message.TryWrite(payload, FuzzKeys.ClusterId, FuzzSigning.Signer(sender is >= 1 and <= 8 ? sender : 2));
        return payload;
    }
}
