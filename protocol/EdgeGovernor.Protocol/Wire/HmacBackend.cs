using System.Security.Cryptography;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>Which HMAC-SHA256 implementation a <see cref="KeyRing"/> uses.</summary>
public enum HmacBackend
{
    /// <summary>Precomputed inner/outer SHA-256 states over libcrypto's block functions when available
    /// (and verified against .NET's HMAC at start), else <see cref="Managed"/>.</summary>
    Auto,

    /// <summary>.NET's keyed <see cref="IncrementalHash"/> (portable; slower per message on OpenSSL 3).</summary>
    Managed,
}
