using System.Net;
using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Ipmi;

/// <summary>Where and how <see cref="IpmiBmc"/> reaches a BMC.</summary>
/// <param name="Endpoint">The BMC's LAN address and RMCP port (623 on real hardware).</param>
/// <param name="Credentials">The IPMI user; see <see cref="IpmiCredentials.Load"/>.</param>
public sealed record IpmiBmcOptions(IPEndPoint Endpoint, IpmiCredentials Credentials)
{
    /// <summary>The standard RMCP port.</summary>
    public const int DefaultPort = 623;

    /// <summary>Cipher suite to negotiate; 3 by default.</summary>
    public IpmiCipherSuite CipherSuite { get; init; } = IpmiCipherSuite.Suite3;

    /// <summary>Privilege requested for the session; Chassis Control and power limits need Operator or more.</summary>
    public IpmiPrivilege Privilege { get; init; } = IpmiPrivilege.Administrator;

    /// <summary>How long one attempt waits for its reply.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Retransmissions after the first attempt of every datagram exchange.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>
    /// The most one call (a public method of <see cref="IpmiBmc"/>) may take from the moment it has the client, session
    /// set-up, retransmissions, a new session and the chassis read-back after a lost reply included. Null (the default):
    /// 2 × <see cref="Timeout"/> × (<see cref="Retries"/> + 1), every attempt of a command and as much again for one new
    /// session after the BMC dropped the old one.
    /// </summary>
    public TimeSpan? CallTimeout { get; init; }

    /// <summary>The call bound in force: <see cref="CallTimeout"/> or its default.</summary>
    public TimeSpan EffectiveCallTimeout => CallTimeout ?? Timeout * (2 * (Retries + 1));

    /// <summary>Random source for session ids, RAKP random numbers and IVs (tests inject a seeded one).</summary>
    public IpmiRandomSource? Random { get; init; }

    /// <summary>Throws <see cref="BmcException"/> (<see cref="BmcErrorKind.InvalidArgument"/>) when a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Endpoint);
        ArgumentNullException.ThrowIfNull(Credentials);
        if (Endpoint.Port is <= 0 or > 65535)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"BMC port {Endpoint.Port} is out of range.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(1))
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"IPMI timeout {Timeout} must be above zero and at most one minute.");
        }

        if (Retries is < 0 or > 10)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"IPMI retries {Retries} must be between 0 and 10.");
        }

        if (CallTimeout is { } call && (call < Timeout || call > TimeSpan.FromMinutes(10)))
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"IPMI call timeout {call} must be at least the timeout {Timeout} and at most ten minutes.");
        }

        if (CipherSuite is not (IpmiCipherSuite.Suite3 or IpmiCipherSuite.Suite17))
        {
            throw new BmcException(BmcErrorKind.UnsupportedCipherSuite, $"IPMI cipher suite {(byte)CipherSuite} is not supported (supported: 3, 17).");
        }
    }
}
