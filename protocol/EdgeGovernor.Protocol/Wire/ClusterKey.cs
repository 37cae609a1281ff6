namespace EdgeGovernor.Protocol.Wire;

/// <summary>A shared cluster secret with the id that names it on the wire (for rotation without downtime).</summary>
public sealed class ClusterKey
{
    /// <summary>Shortest accepted secret, in bytes.</summary>
    public const int MinSecretLength = 16;

    /// <summary>Longest accepted secret, in bytes (one SHA-256 block; longer keys are hashed by HMAC anyway).</summary>
    public const int MaxSecretLength = 64;

    /// <summary>Creates a key; the secret is copied.</summary>
    /// <exception cref="ArgumentException">The secret is shorter than <see cref="MinSecretLength"/> or longer than <see cref="MaxSecretLength"/> bytes.</exception>
    public ClusterKey(byte keyId, ReadOnlyMemory<byte> secret)
    {
        if (secret.Length < MinSecretLength || secret.Length > MaxSecretLength)
        {
            throw new ArgumentException(
                $"A cluster key secret must be {MinSecretLength}..{MaxSecretLength} bytes long (got {secret.Length}).",
                nameof(secret));
        }

        KeyId = keyId;
        Secret = secret.ToArray();
    }

    /// <summary>The id carried in the header.</summary>
    public byte KeyId { get; }

    /// <summary>The secret bytes (a private copy).</summary>
    public ReadOnlyMemory<byte> Secret { get; }
}
