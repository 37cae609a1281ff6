using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>
/// The simulator's verifier: the real <see cref="SigningRoster"/>, with the last verified (signer, message, signature)
/// remembered, because in one simulated process up to 999 nodes verify the very same coordinator heartbeat one after the
/// other. A byte-exact match of all three returns the real answer given for them; anything else is verified. Sound
/// (nothing unverified is ever accepted) and deterministic, so the traces are those of real verification; the
/// per-node cost of verifying is measured by the benchmarks (BENCHMARKS.md), not by the simulator's run time.
/// </summary>
public sealed class RepeatedSignatureCache : ISignatureVerifier
{
    private readonly ISignatureVerifier _inner;
    private readonly byte[] _message = new byte[SignatureFormat.MaxMessageSize];
    private readonly byte[] _signature = new byte[SignatureFormat.SignatureSize];
    private NodeId _signer;
    private int _length = -1;

    /// <summary>Remembers the last verification of <paramref name="inner"/>.</summary>
    public RepeatedSignatureCache(ISignatureVerifier inner) => _inner = inner;

    /// <summary>Verifications answered from the cache.</summary>
    public long Hits { get; private set; }

    /// <inheritdoc/>
    public bool Verify(NodeId signer, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signer == _signer && message.Length == _length && message.SequenceEqual(_message.AsSpan(0, _length)) && signature.SequenceEqual(_signature))
        {
            Hits++;
            return true;
        }

        if (!_inner.Verify(signer, message, signature) || message.Length > _message.Length || signature.Length != _signature.Length)
        {
            return false;
        }

        _signer = signer;
        _length = message.Length;
        message.CopyTo(_message);
        signature.CopyTo(_signature);
        return true;
    }
}
