namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// Signs with this board's own secret key (the seam the cluster layer is given; <see cref="Ed25519Signer"/> in the
/// firmware, the simulator and the tests). Called on the node's thread; must not allocate.
/// </summary>
public interface IMessageSigner
{
    /// <summary>Writes the <see cref="SignatureFormat.SignatureSize"/>-byte signature of <paramref name="message"/> into
    /// <paramref name="signature"/>.</summary>
    void Sign(ReadOnlySpan<byte> message, Span<byte> signature);
}
