using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeGovernor.TestSupport.Redfish;

/// <summary>Self-signed certificates made in the test, as a BMC ships them.</summary>
public static class TestCertificates
{
    /// <summary>A self-signed server certificate for 127.0.0.1 (exportable key, usable by SslStream on Linux).</summary>
    public static X509Certificate2 SelfSigned(string name = "bmc.test")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Writes the certificate and its key as PEM files (for the DMTF server's <c>--cert</c>/<c>--key</c>).</summary>
    public static (string Cert, string Key) WritePem(X509Certificate2 certificate, string directory)
    {
        string cert = Path.Combine(directory, "cert.pem"), key = Path.Combine(directory, "key.pem");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }
}
