using System.Text;
using EdgeGovernor.Firmware.Configuration;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Configuration files through <see cref="ConfigLoader.Parse"/> (JSON syntax, shape, then <see cref="ConfigValidator"/>),
/// the text decoded as <see cref="File.ReadAllText(string)"/> decodes the file. Relative paths resolve against a
/// scratch directory holding the files the examples name (cluster key, IPMI and Redfish credentials, a CA file, a price
/// CSV), so valid inputs reach the checks that read them. Loading may refuse, never throw.
/// </summary>
internal sealed class ConfigTarget : IFuzzTarget
{
    private string? _baseDirectory;

    public string Name => "config";

    public string Description => "configuration loader and validator (ConfigLoader.Parse)";

    public void Run(ReadOnlySpan<byte> input)
    {
        _baseDirectory ??= PrepareDirectory();
        using var reader = new StreamReader(new MemoryStream(input.ToArray()), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        ConfigLoadResult result = ConfigLoader.Parse(reader.ReadToEnd(), _baseDirectory);
        if (result.IsValid == result.Errors.Count > 0)
        {
            throw new InvalidOperationException("a configuration is valid exactly when it has no error");
        }
    }

    public IEnumerable<byte[]> Seeds()
    {
        string examples = Path.Combine(FuzzPaths.Repository, "firmware", "EdgeGovernor.Firmware", "examples");
        foreach (string file in Directory.GetFiles(examples, "*.json").Order(StringComparer.Ordinal))
        {
            yield return File.ReadAllBytes(file);
        }
        yield return """
            { "nodeId": 2, "clusterId": 7, "roster": [1, 2, 3], "clusterKeyFile": "cluster.key",
              "priceFeed": { "kind": "csv", "csvPath": "prices.csv", "intervalSeconds": 3600 },
              "observability": { "httpPort": 0 } }
            """u8.ToArray();
        yield return """
            { "nodeId": 1, "clusterId": 1, "roster": [1], "clusterKeyFile": "cluster.key",
              "priceFeed": { "kind": "http", "url": "http://127.0.0.1:8080/price", "priceField": "data.price", "unit": "ct/kWh" } }
            """u8.ToArray();
    }

    // The files the examples and seeds name, beside the configuration as an operator keeps them.
    private static string PrepareDirectory()
    {
        string directory = Path.Combine(FuzzScratch.Directory, "config");
        Directory.CreateDirectory(directory);
        byte[] credentials = "username=admin\npassword=s3cret-pass\n"u8.ToArray();
        foreach (string name in new[] { "bmc-node-a.cred", "bmc-node-b.cred", "bmc-db-1.redfish", "bmc-batch-1.redfish", "pdu-rack07.redfish" })
        {
            FuzzScratch.Write(Path.Combine("config", name), credentials);
        }
        FuzzScratch.Write(Path.Combine("config", "cluster.key"), "# current key\n1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"u8);
        FuzzScratch.Write(Path.Combine("config", "dc-ca.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"u8);
        FuzzScratch.Write(Path.Combine("config", "prices.csv"), "Datetime,Price (EUR/MWh)\n2024-01-01 00:00:00,80.1\n"u8);
        return directory;
    }
}
