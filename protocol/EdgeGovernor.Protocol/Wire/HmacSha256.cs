using System.Security.Cryptography;
using EdgeGovernor.Protocol.Interop;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// HMAC-SHA256 for one key, allocation-free per message. The native variant keeps the SHA-256 state
/// after the key's inner pad block and after its outer pad block (RFC 2104), so a message costs one
/// state copy and the message's own blocks plus one outer block. Not thread-safe.
/// </summary>
internal abstract class HmacSha256 : IDisposable
{
    public const int Size = 32;

    public abstract bool IsNative { get; }

    public static HmacSha256 Create(ReadOnlySpan<byte> key, HmacBackend backend)
    {
        if (backend == HmacBackend.Auto && LibCrypto.IsAvailable)
        {
            Native? native = null;
            try
            {
                native = new Native(key);
                if (native.SelfTest(key))
                {
                    return native;
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // fall back to the managed implementation
            }

            native?.Dispose();
        }

        return new Managed(key);
    }

    /// <summary>Computes the 32-byte MAC of <paramref name="data"/> into <paramref name="mac"/>.</summary>
    public abstract void Compute(ReadOnlySpan<byte> data, Span<byte> mac);

    public abstract void Dispose();

    private sealed class Managed(ReadOnlySpan<byte> key) : HmacSha256
    {
        private readonly IncrementalHash _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

        public override bool IsNative => false;

        public override void Compute(ReadOnlySpan<byte> data, Span<byte> mac)
        {
            _hmac.AppendData(data);
            _hmac.TryGetHashAndReset(mac, out _);
        }

        public override void Dispose() => _hmac.Dispose();
    }

    private sealed unsafe class Native : HmacSha256
    {
        private const int Block = 64;
        private readonly NativeMemoryHandle _memory = new(3 * LibCrypto.Sha256ContextSize);

        public Native(ReadOnlySpan<byte> key)
        {
            Span<byte> k = stackalloc byte[Block];
            k.Clear();
            if (key.Length > Block)
            {
                SHA256.HashData(key, k);
            }
            else
            {
                key.CopyTo(k);
            }

            Span<byte> pad = stackalloc byte[Block];
            for (int i = 0; i < Block; i++)
            {
                pad[i] = (byte)(k[i] ^ 0x36);
            }

            Prime(Inner, pad);
            for (int i = 0; i < Block; i++)
            {
                pad[i] = (byte)(k[i] ^ 0x5c);
            }

            Prime(Outer, pad);
            CryptographicOperations.ZeroMemory(k);
            CryptographicOperations.ZeroMemory(pad);
        }

        public override bool IsNative => true;

        private byte* Inner => _memory.Pointer;

        private byte* Outer => _memory.Pointer + LibCrypto.Sha256ContextSize;

        private byte* Work => _memory.Pointer + (2 * LibCrypto.Sha256ContextSize);

        public override void Compute(ReadOnlySpan<byte> data, Span<byte> mac)
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            Span<byte> inner = stackalloc byte[Size];
            byte* work = Work;
            fixed (byte* d = data)
            fixed (byte* ih = inner)
            fixed (byte* m = mac)
            {
                CopyState(Inner, work);
                LibCrypto.Sha256Update(work, d, (nuint)data.Length);
                LibCrypto.Sha256Final(ih, work);
                CopyState(Outer, work);
                LibCrypto.Sha256Update(work, ih, Size);
                LibCrypto.Sha256Final(m, work);
            }

            GC.KeepAlive(_memory);
        }

        /// <summary>Checks the native result against .NET's HMAC on a few lengths (guards against an unexpected SHA256_CTX layout).</summary>
        public bool SelfTest(ReadOnlySpan<byte> key)
        {
            Span<byte> data = stackalloc byte[300];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (byte)(i * 13);
            }

            Span<byte> expected = stackalloc byte[Size];
            Span<byte> actual = stackalloc byte[Size];
            foreach (int length in (ReadOnlySpan<int>)[0, 1, 55, 56, 64, 119, 300])
            {
                HMACSHA256.HashData(key, data[..length], expected);
                Compute(data[..length], actual);
                if (!expected.SequenceEqual(actual))
                {
                    return false;
                }
            }

            return true;
        }

        public override void Dispose() => _memory.Dispose();

        /// <summary>Copies a SHA256_CTX with scalar moves (14 x 8 bytes).</summary>
        private static void CopyState(byte* source, byte* destination)
        {
            ulong* s = (ulong*)source;
            ulong* d = (ulong*)destination;
            for (int i = 0; i < LibCrypto.Sha256ContextSize / sizeof(ulong); i++)
            {
                d[i] = s[i];
            }
        }

        private static void Prime(byte* context, ReadOnlySpan<byte> padBlock)
        {
            fixed (byte* p = padBlock)
            {
                LibCrypto.Sha256Init(context);
                LibCrypto.Sha256Update(context, p, Block);
            }
        }
    }
}
