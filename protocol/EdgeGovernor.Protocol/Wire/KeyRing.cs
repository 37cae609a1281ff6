using System.Security.Cryptography;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// Authenticates datagrams with HMAC-SHA256 truncated to <see cref="WireCodec.TagSize"/> bytes over
/// header and payload. Holds the current key (used to seal, and accepted) and optionally a second
/// accepted key (normally the previous one). Any other key id is rejected as
/// <see cref="DropReason.UnknownKeyId"/>. Rotation without downtime: call <see cref="Rotate"/> on
/// every node; the old key stays accepted, so nodes not yet rotated are still heard by rotated ones.
/// For zero drops in the other direction too, first install the new key with <see cref="Accept"/>
/// everywhere, then <see cref="Rotate"/> to it.
/// <para>
/// Each key keeps its HMAC state precomputed (<see cref="HmacBackend"/>: SHA-256 states after the
/// inner and outer pad blocks over libcrypto's block functions, or a keyed .NET IncrementalHash as the
/// portable fallback), so sealing and verifying allocate nothing. Not thread-safe: one key ring per
/// node, used from the node's thread.
/// </para>
/// </summary>
public sealed class KeyRing : IDisposable
{
    private readonly HmacBackend _backend;
    private Slot _current;
    private Slot? _previous;

    /// <summary>Creates a key ring with a current key and an optional previous key.</summary>
    /// <exception cref="ArgumentException">Both keys have the same id.</exception>
    /// <param name="current">The key that seals (and is accepted).</param>
    /// <param name="previous">A second accepted key, or null.</param>
    /// <param name="backend">The HMAC implementation (<see cref="HmacBackend.Auto"/>: native SHA-256 states when available).</param>
    public KeyRing(ClusterKey current, ClusterKey? previous = null, HmacBackend backend = HmacBackend.Auto)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous is not null && previous.KeyId == current.KeyId)
        {
            throw new ArgumentException("The current and previous cluster keys must have different key ids.", nameof(previous));
        }

        _backend = backend;
        _current = new Slot(current, backend);
        _previous = previous is null ? null : new Slot(previous, backend);
    }

    /// <summary>True when tags are computed from precomputed SHA-256 states over libcrypto (else .NET's IncrementalHash).</summary>
    public bool UsesNativeSha256 => _current.IsNative;

    /// <summary>The id of the key used for sealing.</summary>
    public byte CurrentKeyId => _current.KeyId;

    /// <summary>The id of the previous key still accepted, if any.</summary>
    public byte? PreviousKeyId => _previous?.KeyId;

    /// <summary>Makes <paramref name="next"/> current; the current key becomes previous; the old previous key is forgotten.</summary>
    /// <exception cref="ArgumentException">The new key reuses the current key's id.</exception>
    public void Rotate(ClusterKey next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (next.KeyId == _current.KeyId)
        {
            throw new ArgumentException("A rotated key needs a new key id.", nameof(next));
        }

        Slot promoted = _previous is not null && _previous.KeyId == next.KeyId && _previous.SameSecret(next) ? _previous : new Slot(next, _backend);
        if (!ReferenceEquals(promoted, _previous))
        {
            _previous?.Dispose();
        }

        _previous = _current;
        _current = promoted;
    }

    /// <summary>Accepts <paramref name="key"/> in addition to the current key (replacing the previous key), without sealing with it.</summary>
    /// <exception cref="ArgumentException">The key reuses the current key's id.</exception>
    public void Accept(ClusterKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeyId == _current.KeyId)
        {
            throw new ArgumentException("An additionally accepted key needs a key id other than the current key's.", nameof(key));
        }

        _previous?.Dispose();
        _previous = new Slot(key, _backend);
    }

    /// <summary>True when <paramref name="keyId"/> is the current or the previous key.</summary>
    public bool Knows(byte keyId) => keyId == _current.KeyId || (_previous is not null && keyId == _previous.KeyId);

    /// <summary>
    /// Writes the tag of a datagram laid out by <see cref="WireCodec.Encode"/>: the key id field is set to the
    /// current key and the last <see cref="WireCodec.TagSize"/> bytes receive the tag over everything before them.
    /// </summary>
    public void Seal(Span<byte> datagram)
    {
        datagram[38] = _current.KeyId;
        int macLength = datagram.Length - WireCodec.TagSize;
        _current.Tag(datagram[..macLength], datagram[macLength..]);
    }

    /// <summary>Checks the tag of a structurally valid datagram (constant time).</summary>
    /// <returns><see cref="DropReason.None"/>, <see cref="DropReason.UnknownKeyId"/> or <see cref="DropReason.BadTag"/>.</returns>
    public DropReason Verify(ReadOnlySpan<byte> datagram)
    {
        byte keyId = datagram[38];
        Slot? slot = keyId == _current.KeyId ? _current : (_previous is not null && keyId == _previous.KeyId ? _previous : null);
        if (slot is null)
        {
            return DropReason.UnknownKeyId;
        }

        int macLength = datagram.Length - WireCodec.TagSize;
        Span<byte> expected = stackalloc byte[WireCodec.TagSize];
        slot.Tag(datagram[..macLength], expected);
        return CryptographicOperations.FixedTimeEquals(expected, datagram[macLength..]) ? DropReason.None : DropReason.BadTag;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _current.Dispose();
        _previous?.Dispose();
    }

    private sealed class Slot : IDisposable
    {
        private readonly HmacSha256 _hmac;
        private readonly byte[] _secret;

        public Slot(ClusterKey key, HmacBackend backend)
        {
            KeyId = key.KeyId;
            _secret = key.Secret.ToArray();
            _hmac = HmacSha256.Create(key.Secret.Span, backend);
        }

        public byte KeyId { get; }

        public bool IsNative => _hmac.IsNative;

        public bool SameSecret(ClusterKey key) => key.Secret.Span.SequenceEqual(_secret);

        public void Tag(ReadOnlySpan<byte> data, Span<byte> tag)
        {
            Span<byte> full = stackalloc byte[HmacSha256.Size];
            _hmac.Compute(data, full);
            full[..WireCodec.TagSize].CopyTo(tag);
        }

        public void Dispose()
        {
            _hmac.Dispose();
            CryptographicOperations.ZeroMemory(_secret);
        }
    }
}
