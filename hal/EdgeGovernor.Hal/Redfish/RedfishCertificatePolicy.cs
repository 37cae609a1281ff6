using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>
/// Decides whether the service's TLS certificate is the one configured: either its SHA-256 fingerprint equals the pin
/// (self-signed BMC certificates; chain and name not checked), or it chains to a CA of the configured PEM file and names
/// the host. Keeps the reason of the last refusal for the error message.
/// </summary>
public sealed class RedfishCertificatePolicy
{
    private readonly byte[]? _pin;
    private readonly X509Certificate2Collection? _roots;
    private string? _lastRefusal;

    /// <summary>Builds the policy from the options (the CA file is read here, once).</summary>
    public RedfishCertificatePolicy(string? caFile, string? pinnedSha256)
    {
        if (pinnedSha256 is not null)
        {
            _pin = ParseFingerprint(pinnedSha256) ?? throw new ArgumentException("pin must be 64 hex digits", nameof(pinnedSha256));
        }

        if (caFile is not null)
        {
            _roots = [];
            try
            {
                _roots.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new Bmc.BmcException(Bmc.BmcErrorKind.InvalidArgument, $"CA file '{caFile}' cannot be read: {e.Message}", e);
            }

            if (_roots.Count == 0)
            {
                throw new Bmc.BmcException(Bmc.BmcErrorKind.InvalidArgument, $"CA file '{caFile}' holds no certificate.");
            }
        }
    }

    /// <summary>Why the last certificate was refused, or null.</summary>
    public string? LastRefusal => Volatile.Read(ref _lastRefusal);

    /// <summary>Parses 64 hex digits (colons and spaces ignored); null when it is not that.</summary>
    public static byte[]? ParseFingerprint(string text)
    {
        string hex = text.Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (hex.Length != 64)
        {
            return null;
        }

        var bytes = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            if (!byte.TryParse(hex.AsSpan(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return null;
            }
        }

        return bytes;
    }

    /// <summary>The SHA-256 fingerprint of a certificate as upper-case hex.</summary>
    public static string Fingerprint(X509Certificate certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>The TLS validation callback.</summary>
    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        _ = chain;
        if (certificate is null)
        {
            return Refuse("the service sent no certificate");
        }

        if (_pin is not null)
        {
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(certificate.GetRawCertData(), hash);
            return CryptographicOperations.FixedTimeEquals(hash, _pin)
                || Refuse($"certificate SHA-256 {Fingerprint(certificate)} does not match the pinned {Convert.ToHexString(_pin)}");
        }

        if (_roots is null)
        {
            return Refuse("no CA file and no pin configured");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return Refuse($"certificate '{certificate.Subject}' does not name the host");
        }

        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(_roots);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        X509Certificate2 leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return own.Build(leaf) || Refuse($"certificate '{certificate.Subject}' does not chain to the configured CA ({Status(own)})");
    }

    private static string Status(X509Chain chain)
    {
        var parts = new List<string>();
        foreach (X509ChainStatus s in chain.ChainStatus)
        {
            parts.Add(s.Status.ToString());
        }

        return string.Join(", ", parts);
    }

    private bool Refuse(string why)
    {
        Volatile.Write(ref _lastRefusal, why);
        return false;
    }
}
