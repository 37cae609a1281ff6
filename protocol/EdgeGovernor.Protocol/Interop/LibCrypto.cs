using System.Runtime.InteropServices;

namespace EdgeGovernor.Protocol.Interop;

/// <summary>
/// The low-level SHA-256 functions of the system's OpenSSL 3 libcrypto (SHA256_Init / _Update /
/// _Final; they use the CPU's SHA extensions where present). Used by <see cref="Wire.HmacSha256"/> to
/// compute HMAC from precomputed inner and outer states, which the .NET HMAC APIs cannot keep between
/// messages without a slow per-message re-initialisation. <see cref="IsAvailable"/> says whether the
/// library and its exports are present; when not, the caller uses the managed path.
/// <para>
/// Blittable <c>LibraryImport</c>s with <c>SuppressGCTransition</c> (the calls are short and never
/// block): the JIT inlines them as direct P/Invokes and clears the upper AVX state before the call.
/// That matters: libcrypto's SHA-NI code is legacy-SSE encoded, and entered with dirty upper AVX
/// state (left by .NET's vectorised copies) it ran at half speed when called through a function pointer.
/// </para>
/// </summary>
internal static unsafe partial class LibCrypto
{
    /// <summary>sizeof(SHA256_CTX): h[8], Nl, Nh, data[16], num, md_len as 32-bit words.</summary>
    public const int Sha256ContextSize = 112;

    private const string Library = "libcrypto.so.3";

    static LibCrypto()
    {
        IsAvailable = NativeLibrary.TryLoad(Library, typeof(LibCrypto).Assembly, null, out IntPtr handle)
            && NativeLibrary.TryGetExport(handle, "SHA256_Init", out _)
            && NativeLibrary.TryGetExport(handle, "SHA256_Update", out _)
            && NativeLibrary.TryGetExport(handle, "SHA256_Final", out _);
    }

    /// <summary>True when libcrypto and the three functions were found.</summary>
    public static bool IsAvailable { get; }

    /// <summary>int SHA256_Init(SHA256_CTX *c).</summary>
    [LibraryImport(Library, EntryPoint = "SHA256_Init")]
    [SuppressGCTransition]
    public static partial int Sha256Init(void* context);

    /// <summary>int SHA256_Update(SHA256_CTX *c, const void *data, size_t len).</summary>
    [LibraryImport(Library, EntryPoint = "SHA256_Update")]
    [SuppressGCTransition]
    public static partial int Sha256Update(void* context, byte* data, nuint length);

    /// <summary>int SHA256_Final(unsigned char *md, SHA256_CTX *c).</summary>
    [LibraryImport(Library, EntryPoint = "SHA256_Final")]
    [SuppressGCTransition]
    public static partial int Sha256Final(byte* digest, void* context);
}
