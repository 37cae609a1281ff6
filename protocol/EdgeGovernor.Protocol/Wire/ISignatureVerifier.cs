namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// Checks a signature against the public keys a board is known by (<see cref="SigningRoster"/>): false for a board
/// without a key (not in the roster, or removed) and for a signature that matches none of its keys. Called on the node's
/// thread; must not allocate.
/// </summary>
public interface ISignatureVerifier
{
    /// <summary>True when <paramref name="signature"/> is <paramref name="signer"/>'s signature of <paramref name="message"/>.</summary>
    bool Verify(NodeId signer, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);
}
