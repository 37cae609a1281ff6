using EdgeGovernor.Protocol.Interop;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// This board's Ed25519 key pair (libsodium, <see cref="LibSodium"/>): signs without allocating. The secret key lives in
/// a pinned array (never moved, so never copied by the GC) and is wiped on <see cref="Dispose"/>. Made from the 32-byte
/// seed the key file holds.
/// </summary>
public sealed unsafe class Ed25519Signer : IMessageSigner, IDisposable
{
    /// <summary>Size of the seed a key pair is made from.</summary>
    public const int SeedSize = LibSodium.SeedBytes;

    private readonly byte[] _publicKey = new byte[SignatureFormat.PublicKeySize];
    private readonly byte[] _secretKey = GC.AllocateArray<byte>(LibSodium.SecretKeyBytes, pinned: true);
    private bool _disposed;

    /// <summary>Makes the key pair of <paramref name="seed"/> (32 bytes).</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public Ed25519Signer(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedSize} bytes (got {seed.Length}).", nameof(seed));
        }

        LibSodium.EnsureInitialized();
        fixed (byte* s = seed)
        fixed (byte* p = _publicKey)
        fixed (byte* k = _secretKey)
        {
            if (LibSodium.SeedKeyPair(p, k, s) != 0)
            {
                Dispose();
                throw new InvalidOperationException("crypto_sign_ed25519_seed_keypair failed.");
            }
        }
    }

    /// <summary>The public key (32 bytes) to list in the other boards' rosters.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="signature"/> is shorter than 64 bytes.</exception>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (signature.Length < SignatureFormat.SignatureSize)
        {
            throw new ArgumentException($"A signature needs {SignatureFormat.SignatureSize} bytes.", nameof(signature));
        }

        fixed (byte* m = message)
        fixed (byte* sig = signature)
        fixed (byte* k = _secretKey)
        {
            LibSodium.SignDetached(sig, null, m, (ulong)message.Length, k);
        }
    }

    /// <summary>Wipes the secret key; the signer signs no more.</summary>
    public void Dispose()
    {
        _disposed = true;
        Array.Clear(_secretKey);
    }
}
