using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Policy.Contracts;
using EdgeGovernor.TestSupport;

namespace EdgeGovernor.Firmware.Tests.Contracts;

/// <summary>
/// The <c>contracts</c> array: a good contract maps to the policy's <see cref="LoadContract"/>; each bad value is refused
/// with its JSON path; the two partners' digests agree exactly when their copies are mirror images.
/// </summary>
public sealed class ContractConfigTests
{
    private const string Key = "1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";

    private const string Jobs = """
        "jobs": [ { "name": "web", "share": 0.5 },
                  { "name": "batch", "share": 0.25, "deferrable": true, "workHoursPerDay": 4 },
                  { "name": "render", "share": 0.25, "deferrable": true, "workHoursPerDay": 4 } ]
        """;

    private const string Good = """
        { "id": 7, "partner": 2, "priceMin": 0.05, "priceMax": 0.08, "classesOut": ["batch"], "classesIn": ["render", "batch"],
          "maxUnitsPerHour": 10, "migrationCostPerUnit": 0.01,
          "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00+00:00" }
        """;

    private static string File(string contracts, string peerKey) => $$"""
        { "nodeId": 1, "roster": [1, 2], "clusterKeyFile": "k",
          "network": { "peers": [ { "nodeId": 2, "endpoint": "127.0.0.1:9002", "publicKey": "{{peerKey}}" } ] },
          {{Jobs}},
          "contracts": [ {{contracts}} ] }
        """;

    private static ConfigLoadResult Load(TempDir dir, string contracts)
    {
        TestSigning.Write(dir.Path);
        dir.SecretFile("k", Key);
        string peer = TestSigning.PublicKeyOf(Path.Combine(dir.Path, "signing2.key"));
        return ConfigLoader.Parse(File(contracts, peer), dir.Path);
    }

    [Fact]
    public void A_good_contract_maps_to_the_policy_contract_with_this_boards_job_numbering()
    {
        using var dir = new TempDir();
        ConfigLoadResult result = Load(dir, Good);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        ContractDefinition terms = Assert.Single(ContractDefinition.FromConfig(result.Config!));
        LoadContract c = terms.Contract;
        Assert.Equal(2, c.Partner);
        Assert.Equal(7u, terms.Id);
        Protocol.Contracts.ContractTerms exchange = terms.ExchangeTerms;
        Assert.Null(exchange.Validate(new Protocol.NodeId(1)));
        Assert.Equal(50_000u, exchange.PriceMinMicros);
        Assert.Equal(80_000u, exchange.PriceMaxMicros);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), exchange.ValidFromMs);
        Assert.Equal(0.05, c.PriceMin);
        Assert.Equal(0.08, c.PriceMax);
        Assert.Equal(10, c.MaxUnitsPerHour);
        Assert.Equal(0.01, c.MigrationCostPerUnit);
        Assert.Equal(0b010UL, c.ClassesOut); // batch is jobs[1]
        Assert.Equal(0b110UL, c.ClassesIn); // render jobs[2], batch jobs[1]
        Assert.Equal(new DateTime(2026, 1, 1).Ticks / TimeSpan.TicksPerHour, c.ValidFromHour);
        Assert.Equal(new DateTime(2027, 1, 1).Ticks / TimeSpan.TicksPerHour, c.ValidToHour);
        Assert.Null(c.Validate());
    }

    public static TheoryData<string, string> BadContracts => new()
    {
        { Good.Replace("\"partner\": 2", "\"partner\": 0", StringComparison.Ordinal), "$.contracts[0].partner" },
        { Good.Replace("\"partner\": 2", "\"partner\": 1", StringComparison.Ordinal), "$.contracts[0].partner" },
        { Good.Replace("\"partner\": 2", "\"partner\": 3", StringComparison.Ordinal), "$.contracts[0].partner" },
        { Good.Replace("\"partner\": 2", "\"partner\": 4294967295", StringComparison.Ordinal), "$.contracts[0].partner" },
        { Good + ", " + Good, "$.contracts[1].id" },
        { Good.Replace("\"id\": 7", "\"id\": 0", StringComparison.Ordinal), "$.contracts[0].id" },
        { Good.Replace("\"priceMin\": 0.05", "\"priceMin\": -1", StringComparison.Ordinal), "$.contracts[0].priceMin" },
        { Good.Replace("\"priceMin\": 0.05", "\"priceMin\": 1e300", StringComparison.Ordinal), "$.contracts[0].priceMin" },
        { Good.Replace("\"priceMax\": 0.08", "\"priceMax\": 0.01", StringComparison.Ordinal), "$.contracts[0].priceMax" },
        { Good.Replace("\"priceMax\": 0.08", "\"priceMax\": 5000", StringComparison.Ordinal), "$.contracts[0].priceMax" },
        { Good.Replace("\"maxUnitsPerHour\": 10", "\"maxUnitsPerHour\": 0", StringComparison.Ordinal), "$.contracts[0].maxUnitsPerHour" },
        { Good.Replace("\"maxUnitsPerHour\": 10", "\"maxUnitsPerHour\": 1000000", StringComparison.Ordinal), "$.contracts[0].maxUnitsPerHour" },
        { Good.Replace("\"migrationCostPerUnit\": 0.01", "\"migrationCostPerUnit\": -0.5", StringComparison.Ordinal), "$.contracts[0].migrationCostPerUnit" },
        { Good.Replace("\"migrationCostPerUnit\": 0.01", "\"migrationCostPerUnit\": 1e9", StringComparison.Ordinal), "$.contracts[0].migrationCostPerUnit" },
        { Good.Replace("\"classesOut\": [\"batch\"]", "\"classesOut\": [\"nope\"]", StringComparison.Ordinal), "$.contracts[0].classesOut[0]" },
        { Good.Replace("\"classesOut\": [\"batch\"]", "\"classesOut\": [\"web\"]", StringComparison.Ordinal), "$.contracts[0].classesOut[0]" },
        { Good.Replace("[\"render\", \"batch\"]", "[\"batch\", \"batch\"]", StringComparison.Ordinal), "$.contracts[0].classesIn[1]" },
        { Good.Replace("\"classesOut\": [\"batch\"]", "\"classesOut\": []", StringComparison.Ordinal).Replace("[\"render\", \"batch\"]", "[]", StringComparison.Ordinal), "$.contracts[0].classesOut" },
        { Good.Replace("2026-01-01T00:00:00Z", "2026-01-01T00:00:00", StringComparison.Ordinal), "$.contracts[0].validFrom" },
        { Good.Replace("2026-01-01T00:00:00Z", "2026-01-01T00:30:00Z", StringComparison.Ordinal), "$.contracts[0].validFrom" },
        { Good.Replace("2026-01-01T00:00:00Z", "1999-01-01T00:00:00Z", StringComparison.Ordinal), "$.contracts[0].validFrom" },
        { Good.Replace("2026-01-01T00:00:00Z", "tomorrow", StringComparison.Ordinal), "$.contracts[0].validFrom" },
        { Good.Replace("2027-01-01T00:00:00+00:00", "2025-01-01T00:00:00Z", StringComparison.Ordinal), "$.contracts[0].validUntil" },
        { Good.Replace("2027-01-01T00:00:00+00:00", "9999-01-01T00:00:00Z", StringComparison.Ordinal), "$.contracts[0].validUntil" },
        { Good.Replace("\"maxUnitsPerHour\": 10", "\"maxUnitsPerHour\": 10, \"hysteresisPerUnit\": -1", StringComparison.Ordinal), "$.contracts[0].hysteresisPerUnit" },
    };

    [Theory]
    [MemberData(nameof(BadContracts))]
    public void Each_bad_contract_value_is_refused_with_its_json_path(string contracts, string path)
    {
        using var dir = new TempDir();
        ConfigLoadResult result = Load(dir, contracts);
        Assert.False(result.IsValid, $"accepted: {contracts}");
        Assert.Contains(result.Errors, e => e.Path == path);
    }

    [Fact]
    public void A_partner_without_a_public_key_is_refused_because_contract_messages_are_signed()
    {
        using var dir = new TempDir();
        TestSigning.Write(dir.Path);
        dir.SecretFile("k", Key);
        ConfigLoadResult result = ConfigLoader.Parse(File(Good, "").Replace(", \"publicKey\": \"\"", "", StringComparison.Ordinal), dir.Path);
        Assert.Contains(result.Errors, e => e.Path == "$.contracts[0].partner" && e.Reason.Contains("publicKey", StringComparison.Ordinal));
    }

    [Fact]
    public void The_partners_digests_agree_only_for_mirror_image_copies()
    {
        JobConfig[] jobsA = [new() { Name = "batch", Deferrable = true }, new() { Name = "render", Deferrable = true }];
        JobConfig[] jobsB = [new() { Name = "render", Deferrable = true }, new() { Name = "batch", Deferrable = true }]; // numbered differently
        ContractConfig a = Contract(partner: 2, send: ["batch"], into: ["render"]);
        ContractConfig b = Contract(partner: 1, send: ["render"], into: ["batch"]);
        ContractDefinition ta = ContractDefinition.From(1, a, jobsA);
        ContractDefinition tb = ContractDefinition.From(2, b, jobsB);
        Assert.True(tb.MatchesPartnerDigest(ta.MirroredDigest));
        Assert.True(ta.MatchesPartnerDigest(tb.MirroredDigest));
        Assert.False(ta.MatchesPartnerDigest(ta.MirroredDigest)); // its own message echoed back is not the partner's

        // Any one term different on B's side: no match either way.
        ContractConfig[] differing =
        [
            Contract(partner: 1, send: ["render"], into: ["batch"], priceMax: 0.09),
            Contract(partner: 1, send: ["render"], into: ["batch"], maxUnits: 11),
            Contract(partner: 1, send: ["render"], into: ["batch"], migration: 0.02),
            Contract(partner: 1, send: ["render"], into: ["batch"], until: "2027-01-01T01:00:00Z"),
            Contract(partner: 1, send: ["render", "batch"], into: ["batch"]),
            Contract(partner: 1, send: ["batch"], into: ["render"]), // not mirrored
        ];
        foreach (ContractConfig d in differing)
        {
            ContractDefinition td = ContractDefinition.From(2, d, jobsB);
            Assert.False(td.MatchesPartnerDigest(ta.MirroredDigest));
            Assert.False(ta.MatchesPartnerDigest(td.MirroredDigest));
        }
        // Another contract id: another contract.
        ContractConfig other = Contract(partner: 1, send: ["render"], into: ["batch"]);
        other.Id = 8;
        Assert.False(ContractDefinition.From(2, other, jobsB).MatchesPartnerDigest(ta.MirroredDigest));
        // The same terms held by a third board are another contract.
        Assert.False(ContractDefinition.From(3, b, jobsB).MatchesPartnerDigest(ta.MirroredDigest));
    }

    private static ContractConfig Contract(uint partner, string[] send, string[] into, double priceMax = 0.08, int maxUnits = 10, double migration = 0.01, string until = "2027-01-01T00:00:00Z") => new()
    {
        Id = 7,
        Partner = partner,
        PriceMin = 0.05,
        PriceMax = priceMax,
        ClassesOut = send,
        ClassesIn = into,
        MaxUnitsPerHour = maxUnits,
        MigrationCostPerUnit = migration,
        ValidFrom = "2026-01-01T00:00:00Z",
        ValidUntil = until,
    };

    [Fact]
    public void The_contracts_example_is_valid()
    {
        using var dir = new TempDir();
        TestSigning.Write(dir.Path);
        dir.SecretFile("cluster.key", Key);
        string example = System.IO.File.ReadAllText(Path.Combine(RepoPaths.FirmwareExamples, "edgegov-contracts.json"))
            .Replace("/var/lib/edgegov", Path.Combine(dir.Path, "state"), StringComparison.Ordinal);
        ConfigLoadResult result = ConfigLoader.Parse(example, dir.Path);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        ContractDefinition terms = Assert.Single(ContractDefinition.FromConfig(result.Config!));
        Assert.Equal(2u, terms.Partner);
        Assert.Equal(1UL, terms.Contract.ClassesOut);
    }
}
