using EdgeGovernor.Protocol.Interop;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The boards' Ed25519 public keys: per board a current key and, during a rotation, the next one (a signature by either
/// verifies). A board without an entry (never listed, or <see cref="Remove"/>d) verifies nothing. Verification allocates
/// nothing (a dictionary lookup and libsodium); changes come from the node's thread (the firmware rebuilds the node on a
/// roster change).
/// </summary>
public sealed class SigningRoster : ISignatureVerifier
{
    private readonly Dictionary<uint, Entry> _keys = [];

    /// <summary>Creates an empty roster (libsodium is started here).</summary>
    public SigningRoster() => LibSodium.EnsureInitialized();

    /// <summary>Boards with a key.</summary>
    public int Count => _keys.Count;

    /// <summary>Sets <paramref name="board"/>'s current key and, while it rotates, its next key (empty: none).</summary>
    /// <exception cref="ArgumentException">Board 0, or a key that is not 32 bytes.</exception>
    public void Set(NodeId board, ReadOnlySpan<byte> current, ReadOnlySpan<byte> next = default)
    {
        if (!board.IsValid)
        {
            throw new ArgumentException("Board 0 cannot hold a key.", nameof(board));
        }

        if (current.Length != SignatureFormat.PublicKeySize || (!next.IsEmpty && next.Length != SignatureFormat.PublicKeySize))
        {
            throw new ArgumentException($"An Ed25519 public key is {SignatureFormat.PublicKeySize} bytes (board {board.Value}).", nameof(current));
        }

        _keys[board.Value] = new Entry(current.ToArray(), next.IsEmpty ? null : next.ToArray());
    }

    /// <summary>Removes <paramref name="board"/>'s keys: nothing it signs verifies any more. False when it had none.</summary>
    public bool Remove(NodeId board) => _keys.Remove(board.Value);

    /// <summary>True when <paramref name="board"/> has a key.</summary>
    public bool Contains(NodeId board) => _keys.ContainsKey(board.Value);

    /// <inheritdoc/>
    public unsafe bool Verify(NodeId signer, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureFormat.SignatureSize || !_keys.TryGetValue(signer.Value, out Entry? entry))
        {
            return false;
        }

        fixed (byte* m = message)
        fixed (byte* sig = signature)
        {
            if (VerifyWith(entry.Current, sig, m, message.Length))
            {
                return true;
            }

            return entry.Next is not null && VerifyWith(entry.Next, sig, m, message.Length);
        }
    }

    private static unsafe bool VerifyWith(byte[] publicKey, byte* signature, byte* message, int length)
    {
        fixed (byte* pk = publicKey)
        {
            return LibSodium.VerifyDetached(signature, message, (ulong)length, pk) == 0;
        }
    }

    private sealed record Entry(byte[] Current, byte[]? Next);
}
