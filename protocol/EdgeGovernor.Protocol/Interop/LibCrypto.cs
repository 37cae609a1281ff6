using System.Runtime.InteropServices;

namespace EdgeGovernor.Protocol.Interop;

/// <summary>
/// The low-level SHA-256 block functions of the system's OpenSSL libcrypto (SHA256_Init / _Update /
/// _Final; they use the CPU's SHA extensions where present), bound at run time through
/// <see cref="NativeLibrary"/> so that a machine without libcrypto simply falls back to the managed
/// path. Used by <see cref="Wire.HmacSha256"/> to compute HMAC from precomputed inner and outer states,
/// which the .NET HMAC APIs cannot keep between messages without a slow per-message re-initialisation.
/// </summary>
internal static unsafe class LibCrypto
{
    /// <summary>sizeof(SHA256_CTX): h[8], Nl, Nh, data[16], num, md_len as 32-bit words.</summary>
    public const int Sha256ContextSize = 112;

    private static readonly string[] Candidates = ["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so", "libcrypto.3.dylib"];

    static LibCrypto()
    {
        foreach (string name in Candidates)
        {
            if (NativeLibrary.TryLoad(name, typeof(LibCrypto).Assembly, null, out IntPtr handle)
                && NativeLibrary.TryGetExport(handle, "SHA256_Init", out IntPtr init)
                && NativeLibrary.TryGetExport(handle, "SHA256_Update", out IntPtr update)
                && NativeLibrary.TryGetExport(handle, "SHA256_Final", out IntPtr final))
            {
                Sha256Init = (delegate* unmanaged[SuppressGCTransition]<void*, int>)init;
                Sha256Update = (delegate* unmanaged[SuppressGCTransition]<void*, byte*, nuint, int>)update;
                Sha256Final = (delegate* unmanaged[SuppressGCTransition]<byte*, void*, int>)final;
                IsAvailable = true;
                return;
            }
        }
    }

    /// <summary>True when the three functions were found.</summary>
    public static bool IsAvailable { get; }

    /// <summary>int SHA256_Init(SHA256_CTX *c).</summary>
    public static delegate* unmanaged[SuppressGCTransition]<void*, int> Sha256Init { get; }

    /// <summary>int SHA256_Update(SHA256_CTX *c, const void *data, size_t len).</summary>
    public static delegate* unmanaged[SuppressGCTransition]<void*, byte*, nuint, int> Sha256Update { get; }

    /// <summary>int SHA256_Final(unsigned char *md, SHA256_CTX *c).</summary>
    public static delegate* unmanaged[SuppressGCTransition]<byte*, void*, int> Sha256Final { get; }
}

/// <summary>Owns one block of native memory (one SafeHandle per native object).</summary>
internal sealed unsafe class NativeMemoryHandle : SafeHandle
{
    public NativeMemoryHandle(int bytes)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)NativeMemory.AllocZeroed((nuint)bytes));
        Length = bytes;
    }

    public int Length { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public byte* Pointer => (byte*)handle;

    protected override bool ReleaseHandle()
    {
        NativeMemory.Clear((void*)handle, (nuint)Length);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
