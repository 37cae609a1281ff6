using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Redfish;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// Checks <c>servers[].redfish</c> and <c>servers[].outlet.redfish</c> (called by <see cref="ConfigValidator"/>): the
/// address, trust (a CA file that exists or a well-formed pin, plain HTTP only when allowed), a credentials file that
/// exists, parses and is 0600, bounded timeouts, retries and poll period, one BMC per server, one server per outlet, and
/// a PDU's settings the same for every outlet on it. Every error names its JSON path.
/// </summary>
internal static class RedfishConfigValidator
{
    /// <summary>Appends every problem of the Redfish settings of <paramref name="rack"/> to <paramref name="errors"/>.</summary>
    public static void Validate(RackConfig rack, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(rack);
        var bmcs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var outlets = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pdus = new Dictionary<string, RedfishOutletConfig>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < rack.Servers.Length; i++)
        {
            ServerConfig s = rack.Servers[i];
            string p = $"$.rack.servers[{i}]";
            if (s.Redfish is { } r)
            {
                string rp = p + ".redfish";
                Check(errors, s.Count == 1, p + ".count", "must be 1 for a server with a redfish BMC (one BMC per server)");
                Check(errors, s.Bmc is null, rp, "a server has one BMC: give bmc (IPMI) or redfish, not both");
                ValidateEndpoint(r, rp, errors);
                Check(errors, !Uri.TryCreate(r.Address, UriKind.Absolute, out Uri? a) || bmcs.Add(Key(a, r.SystemId)), rp + ".address",
                    $"the system of {r.Address} is already another server's");
                Check(errors, r.SystemId is null || r.SystemId.Length is >= 1 and <= 128, rp + ".systemId", "must be 1 to 128 characters (or left out: the first system)");
                Check(errors, r.CorrectionTimeMs is >= 100 and <= 600000, rp + ".correctionTimeMs", "must be from 100 to 600000");
                Check(errors, Array.IndexOf(ConfigValidator.BmcExceptionActions, r.ExceptionAction) >= 0, rp + ".exceptionAction",
                    $"'{r.ExceptionAction}' is not one of: {string.Join(", ", ConfigValidator.BmcExceptionActions)}");
                Check(errors, Array.IndexOf(ConfigValidator.BmcPowerOffActions, r.PowerOff) >= 0, rp + ".powerOff",
                    $"'{r.PowerOff}' is not one of: {string.Join(", ", ConfigValidator.BmcPowerOffActions)}");
                Check(errors, r.MinimumDwellSeconds is >= 1 and <= 86400, rp + ".minimumDwellSeconds", "must be from 1 to 86400");
                Check(errors, r.MaxTogglesPerHour is >= 1 and <= 60, rp + ".maxTogglesPerHour", "must be from 1 to 60");
                Check(errors, !r.PowerLimit || s.MaxCapWatts <= ushort.MaxValue, p + ".maxCapWatts", "must be at most 65535 W for a Redfish power limit");
            }

            if (s.Outlet?.Redfish is { } o)
            {
                string op = p + ".outlet.redfish";
                Check(errors, s.Outlet.Chip.Length == 0 && s.Outlet.Line == -1, p + ".outlet", "an outlet is on a GPIO line (chip, line) or on a Redfish PDU (redfish), not both");
                Check(errors, s.Count == 1, p + ".count", "must be 1 for a server with an outlet (one outlet per server)");
                Check(errors, s.Outlet.MinimumDwellSeconds is >= 1 and <= 86400, p + ".outlet.minimumDwellSeconds", "must be from 1 to 86400");
                Check(errors, s.Outlet.MaxTogglesPerHour is >= 1 and <= 60, p + ".outlet.maxTogglesPerHour", "must be from 1 to 60");
                Check(errors, o.Outlet.Length is >= 1 and <= 128 && !o.Outlet.Any(char.IsControl), op + ".outlet", "must name the outlet's Id on the PDU (e.g. A1), at most 128 characters");
                if (!pdus.TryGetValue(o.Address, out RedfishOutletConfig? first))
                {
                    pdus.Add(o.Address, o);
                    ValidateEndpoint(o, op, errors);
                }
                else
                {
                    Check(errors, SameEndpoint(first, o), op, $"PDU {o.Address} is configured with other settings by an earlier server: give every outlet of a PDU the same address, credentials, trust and timeouts");
                }
                Check(errors, outlets.Add($"{o.Address}#{o.Outlet}"), op + ".outlet", $"outlet '{o.Outlet}' of {o.Address} is already another server's");
            }
        }
    }

    private static void ValidateEndpoint(RedfishEndpointConfig r, string p, List<ConfigError> errors)
    {
        bool addressOk = Uri.TryCreate(r.Address, UriKind.Absolute, out Uri? uri)
            && uri.Scheme is "https" or "http" && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.UserInfo.Length == 0;
        Check(errors, addressOk, p + ".address", $"'{r.Address}' is not https://host[:port] (no path)");
        Check(errors, !addressOk || uri!.Scheme == "https" || r.AllowPlainHttp, p + ".allowPlainHttp",
            $"{r.Address} is plain HTTP: use https, or set allowPlainHttp (test rigs only: the password travels in clear)");
        Check(errors, !addressOk || uri!.Scheme == "http" || r.CaFile is not null || r.PinnedSha256 is not null, p,
            "give caFile (the CA that signed the BMC's certificate) or pinnedSha256 (its SHA-256 fingerprint)");
        Check(errors, r.CaFile is null || File.Exists(r.CaFile), p + ".caFile", $"'{r.CaFile}' does not exist");
        Check(errors, r.PinnedSha256 is null || RedfishCertificatePolicy.ParseFingerprint(r.PinnedSha256) is not null, p + ".pinnedSha256",
            "must be 64 hex digits, colons allowed (openssl x509 -noout -fingerprint -sha256)");
        Check(errors, r.TimeoutMs is >= 100 and <= 120000, p + ".timeoutMs", "must be from 100 to 120000");
        Check(errors, r.Retries is >= 0 and <= 10, p + ".retries", "must be from 0 to 10");
        Check(errors, r.PollMs is >= 200 and <= 600000, p + ".pollMs", "must be from 200 to 600000");
        if (string.IsNullOrWhiteSpace(r.CredentialsFile))
        {
            errors.Add(new ConfigError(p + ".credentialsFile", "must name the file with 'username=' and 'password=' lines (chmod 600)"));
            return;
        }
        try
        {
            RedfishCredentials.Load(r.CredentialsFile);
        }
        catch (BmcException x)
        {
            errors.Add(new ConfigError(p + ".credentialsFile", x.Message));
        }
    }

    private static bool SameEndpoint(RedfishOutletConfig a, RedfishOutletConfig b) =>
        a.CredentialsFile == b.CredentialsFile && a.CaFile == b.CaFile && a.PinnedSha256 == b.PinnedSha256 && a.AllowPlainHttp == b.AllowPlainHttp
        && a.TimeoutMs == b.TimeoutMs && a.Retries == b.Retries && a.PollMs == b.PollMs && a.UseSessions == b.UseSessions;

    private static string Key(Uri address, string? systemId) => $"{address.GetLeftPart(UriPartial.Authority)}#{systemId}";

    private static void Check(List<ConfigError> errors, bool ok, string path, string reason)
    {
        if (!ok)
        {
            errors.Add(new ConfigError(path, reason));
        }
    }
}
