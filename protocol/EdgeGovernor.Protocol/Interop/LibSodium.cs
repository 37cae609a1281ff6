using System.Runtime.InteropServices;

namespace EdgeGovernor.Protocol.Interop;

/// <summary>
/// The four Ed25519 functions of libsodium that <see cref="Wire.Ed25519Signer"/> and <see cref="Wire.SigningRoster"/> use.
/// The firmware links libsodium statically (<c>DirectPInvoke</c> + Debian's <c>libsodium.a</c>, so the binary stays one
/// file); JIT processes (tests, simulator, benchmarks) load the system's <c>libsodium.so</c> (Debian <c>libsodium-dev</c>).
/// Blittable <c>LibraryImport</c>s without <c>SuppressGCTransition</c>: a signature takes tens of microseconds.
/// </summary>
internal static unsafe partial class LibSodium
{
    /// <summary>Ed25519 public key size.</summary>
    public const int PublicKeyBytes = 32;

    /// <summary>Ed25519 secret key size as libsodium keeps it (seed + public key).</summary>
    public const int SecretKeyBytes = 64;

    /// <summary>Ed25519 seed size (what the key file holds).</summary>
    public const int SeedBytes = 32;

    /// <summary>Ed25519 signature size.</summary>
    public const int SignatureBytes = 64;

    private const string Library = "libsodium";

    private static int s_initialized;

    /// <summary>Runs <c>sodium_init</c> once; throws when libsodium is missing or refuses to start.</summary>
    public static void EnsureInitialized()
    {
        if (Volatile.Read(ref s_initialized) != 0)
        {
            return;
        }

        int result;
        try
        {
            result = SodiumInit();
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException("Ed25519 signatures need libsodium (Debian: libsodium-dev; the firmware links it statically).", e);
        }

        if (result < 0)
        {
            throw new InvalidOperationException("sodium_init failed: libsodium cannot run on this machine.");
        }

        Volatile.Write(ref s_initialized, 1);
    }

    /// <summary>int sodium_init(void): 0 started, 1 already started, -1 failed.</summary>
    [LibraryImport(Library, EntryPoint = "sodium_init")]
    private static partial int SodiumInit();

    /// <summary>int crypto_sign_ed25519_seed_keypair(unsigned char *pk, unsigned char *sk, const unsigned char *seed).</summary>
    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_seed_keypair")]
    public static partial int SeedKeyPair(byte* publicKey, byte* secretKey, byte* seed);

    /// <summary>int crypto_sign_ed25519_detached(unsigned char *sig, unsigned long long *siglen, const unsigned char *m,
    /// unsigned long long mlen, const unsigned char *sk).</summary>
    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_detached")]
    public static partial int SignDetached(byte* signature, ulong* signatureLength, byte* message, ulong messageLength, byte* secretKey);

    /// <summary>int crypto_sign_ed25519_verify_detached(const unsigned char *sig, const unsigned char *m,
    /// unsigned long long mlen, const unsigned char *pk): 0 when the signature verifies.</summary>
    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_verify_detached")]
    public static partial int VerifyDetached(byte* signature, byte* message, ulong messageLength, byte* publicKey);
}
