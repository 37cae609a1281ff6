using System.Security.Cryptography;
using System.Text;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>
/// Who may read <c>/metrics</c> and <c>/status</c>: a bearer token (<c>Authorization: Bearer &lt;token&gt;</c>) and/or
/// HTTP basic credentials (<c>Authorization: Basic base64(user:password)</c>), the two schemes Prometheus scrapes with
/// (<c>authorization</c>, <c>basic_auth</c>). Only SHA-256 digests of the secrets are kept, and a presented secret is
/// compared by its digest in constant time, so neither its content nor its length shows in the timing. Parsing only:
/// the server passes the request head.
/// </summary>
internal sealed class HttpAuth
{
    private const string Realm = "edgegov";
    private readonly byte[]? _tokenDigest;
    private readonly byte[]? _basicDigest;

    /// <summary>Accepts <paramref name="bearerToken"/> (null: none) and <paramref name="basicUser"/>:<paramref name="basicPassword"/> (null: none).</summary>
    public HttpAuth(string? bearerToken, string? basicUser, string? basicPassword)
    {
        if (bearerToken is null && (basicUser is null || basicPassword is null))
        {
            throw new ArgumentException("give a bearer token or basic credentials");
        }
        _tokenDigest = bearerToken is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(bearerToken));
        _basicDigest = basicUser is null || basicPassword is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes($"{basicUser}:{basicPassword}"));
        Challenge = (_tokenDigest is null ? "" : $"WWW-Authenticate: Bearer realm=\"{Realm}\"\r\n")
            + (_basicDigest is null ? "" : $"WWW-Authenticate: Basic realm=\"{Realm}\", charset=\"UTF-8\"\r\n");
    }

    /// <summary>The <c>WWW-Authenticate</c> header lines of a 401 answer (CRLF-terminated).</summary>
    public string Challenge { get; }

    /// <summary>True when the request head (request line and headers, no body) carries accepted credentials.</summary>
    public bool IsAuthorized(string head)
    {
        if (!TryFindAuthorization(head, out string? value))
        {
            return false;
        }
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }
        string scheme = value[..space];
        string credentials = value[(space + 1)..].Trim();
        if (_tokenDigest is not null && scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return Matches(Encoding.UTF8.GetBytes(credentials), _tokenDigest);
        }
        if (_basicDigest is not null && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            byte[] decoded;
            try
            {
                decoded = Convert.FromBase64String(credentials);
            }
            catch (FormatException)
            {
                return false;
            }
            return Matches(decoded, _basicDigest);
        }
        return false;
    }

    private static bool Matches(ReadOnlySpan<byte> presented, byte[] digest)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(presented, hash);
        return CryptographicOperations.FixedTimeEquals(hash, digest);
    }

    /// <summary>The value of the one <c>Authorization</c> header of <paramref name="head"/>; false when there is none or more than one.</summary>
    internal static bool TryFindAuthorization(string head, out string value)
    {
        value = "";
        bool found = false;
        foreach (string line in head.Split("\r\n"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                if (found)
                {
                    return false;
                }
                found = true;
                value = line[(colon + 1)..].Trim();
            }
        }
        return found;
    }
}
