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

/// <summary>Requested maximum privilege level of a session (IPMI v2.0 table 13-17 / 22-19).</summary>
public enum IpmiPrivilege : byte
{
    /// <summary>Callback level.</summary>
    Callback = 1,

    /// <summary>User level: read-only commands.</summary>
    User = 2,

    /// <summary>Operator level: needed for Chassis Control and DCMI power limits.</summary>
    Operator = 3,

    /// <summary>Administrator level.</summary>
    Administrator = 4,
}

/// <summary>The algorithm numbers and sizes a cipher suite implies.</summary>
internal readonly record struct CipherSuiteAlgorithms(
    byte AuthenticationAlgorithm,
    byte IntegrityAlgorithm,
    byte ConfidentialityAlgorithm,
    int HashLength,
    int IntegrityTagLength)
{
    /// <summary>HMAC key and SIK derivation constants are this long (the hash length).</summary>
    public static CipherSuiteAlgorithms For(IpmiCipherSuite suite) => suite switch
    {
        IpmiCipherSuite.Suite3 => new(0x01, 0x01, 0x01, 20, 12),
        IpmiCipherSuite.Suite17 => new(0x03, 0x04, 0x01, 32, 16),
        _ => throw new Bmc.BmcException(Bmc.BmcErrorKind.UnsupportedCipherSuite,
            $"IPMI cipher suite {(byte)suite} is not supported by this client (supported: 3, 17)."),
    };
}
