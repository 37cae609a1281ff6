using System.Globalization;
using EdgeGovernor.Policy.Contracts;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>Checks the <c>contracts</c> array: every bad value is reported with its JSON path.</summary>
internal static class ContractConfigValidator
{
    /// <summary>Most contracts one board holds.</summary>
    public const int MaxContracts = 64;

    /// <summary>Most job classes a contract can name (the policy's class bit set).</summary>
    public const int MaxJobClasses = 64;

    /// <summary>Validates <paramref name="c"/>'s contracts, appending every problem to <paramref name="errors"/>.</summary>
    public static void Validate(FirmwareConfig c, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(errors);
        void Check(bool ok, string path, string reason)
        {
            if (!ok)
            {
                errors.Add(new ConfigError(path, reason));
            }
        }

        Check(c.Contracts.Length <= MaxContracts, "$.contracts", $"at most {MaxContracts} contracts");
        Check(c.Contracts.Length == 0 || c.Jobs.Length <= MaxJobClasses, "$.jobs", $"at most {MaxJobClasses} job classes with contracts");
        var ids = new HashSet<uint>();
        var partners = new HashSet<uint>();
        for (int i = 0; i < Math.Min(c.Contracts.Length, MaxContracts); i++)
        {
            ContractConfig k = c.Contracts[i];
            string p = $"$.contracts[{i}]";
            Check(k.Partner is not 0 and <= int.MaxValue, p + ".partner", "must be a node id from 1 to 2147483647");
            Check(k.Partner != c.NodeId, p + ".partner", "is this board itself");
            Check(partners.Add(k.Partner), p + ".partner", $"node {k.Partner} has another contract already (one contract per partner: the books are kept per partner)");
            Check(k.Id != 0, p + ".id", "must be a contract id from 1 to 4294967295 (the same in the partner's configuration)");
            Check(k.Id == 0 || ids.Add(k.Id), p + ".id", $"contract id {k.Id} appears twice");
            Check(Array.Exists(c.Network.Peers, peer => peer.NodeId == k.Partner && peer.PublicKey.Length > 0), p + ".partner",
                $"node {k.Partner} is not in network.peers with a publicKey (contract messages are signed by each board)");
            Check(double.IsFinite(k.PriceMin) && k.PriceMin is >= 0 and <= LoadContract.MaxPrice, p + ".priceMin", $"must be from 0 to {LoadContract.MaxPrice}");
            Check(double.IsFinite(k.PriceMax) && k.PriceMax >= k.PriceMin && k.PriceMax <= LoadContract.MaxPrice, p + ".priceMax",
                $"must be from priceMin to {LoadContract.MaxPrice}");
            Check(k.MaxUnitsPerHour is >= 1 and <= LoadContract.MaxUnitsPerHourLimit, p + ".maxUnitsPerHour", $"must be from 1 to {LoadContract.MaxUnitsPerHourLimit}");
            Check(double.IsFinite(k.MigrationCostPerUnit) && k.MigrationCostPerUnit is >= 0 and <= LoadContract.MaxPrice, p + ".migrationCostPerUnit",
                $"must be from 0 to {LoadContract.MaxPrice}");
            Check(double.IsFinite(k.HysteresisPerUnit) && k.HysteresisPerUnit is >= 0 and <= LoadContract.MaxPrice, p + ".hysteresisPerUnit",
                $"must be from 0 to {LoadContract.MaxPrice}");
            CheckClasses(k.ClassesOut, c.Jobs, p + ".classesOut", errors);
            CheckClasses(k.ClassesIn, c.Jobs, p + ".classesIn", errors);
            Check(k.ClassesOut.Length + k.ClassesIn.Length > 0, p + ".classesOut", "the contract moves no job class either way (give classesOut or classesIn)");
            bool from = TryParseHour(k.ValidFrom, out long fromHour);
            bool until = TryParseHour(k.ValidUntil, out long untilHour);
            Check(from, p + ".validFrom", $"'{k.ValidFrom}' is not a whole hour in 2000..2100 with Z or a UTC offset (e.g. 2026-01-01T00:00:00Z)");
            Check(until, p + ".validUntil", $"'{k.ValidUntil}' is not a whole hour in 2000..2100 with Z or a UTC offset (e.g. 2027-01-01T00:00:00Z)");
            Check(!from || !until || untilHour > fromHour, p + ".validUntil", "must be after validFrom");
        }
    }

    private static void CheckClasses(string[] names, JobConfig[] jobs, string path, List<ConfigError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            string n = names[i] ?? "";
            int job = Array.FindIndex(jobs, j => j.Name == n);
            if (job < 0)
            {
                errors.Add(new ConfigError($"{path}[{i}]", $"'{n}' is not one of the jobs' names"));
            }
            else if (!jobs[job].Deferrable)
            {
                errors.Add(new ConfigError($"{path}[{i}]", $"'{n}' is not deferrable (only deferrable work moves under a contract)"));
            }
            if (!seen.Add(n))
            {
                errors.Add(new ConfigError($"{path}[{i}]", $"'{n}' appears twice"));
            }
        }
    }

    /// <summary>
    /// Parses an ISO 8601 instant with <c>Z</c> or an explicit offset that falls on a whole hour within 2000..2100 into the
    /// absolute hour index (UTC ticks / ticks per hour, the market hour the control step uses).
    /// </summary>
    public static bool TryParseHour(string text, out long hour)
    {
        hour = 0;
        if (string.IsNullOrEmpty(text) || text.Length > 40 || !(text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > 10)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset t))
        {
            return false;
        }
        DateTime utc = t.UtcDateTime;
        if (utc.Ticks % TimeSpan.TicksPerHour != 0 || utc < Feeds.PriceValidator.EarliestMarketTime || utc > Feeds.PriceValidator.LatestMarketTime)
        {
            return false;
        }
        hour = utc.Ticks / TimeSpan.TicksPerHour;
        return true;
    }
}
