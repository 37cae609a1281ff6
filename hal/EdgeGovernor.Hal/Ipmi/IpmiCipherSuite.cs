namespace EdgeGovernor.Hal.Ipmi;

/// <summary>
/// RMCP+ cipher suites this client can negotiate (IPMI v2.0 table 22-20, plus suite 17 of later
/// errata). Both use AES-CBC-128 confidentiality; they differ in the hash of RAKP and integrity.
/// </summary>
public enum IpmiCipherSuite : byte
{
    /// <summary>RAKP-HMAC-SHA1 authentication, HMAC-SHA1-96 integrity, AES-CBC-128 confidentiality.</summary>
    Suite3 = 3,

    /// <summary>RAKP-HMAC-SHA256 authentication, HMAC-SHA256-128 integrity, AES-CBC-128 confidentiality.</summary>
    Suite17 = 17,
}
