namespace EdgeGovernor.Hal.Ipmi;

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
