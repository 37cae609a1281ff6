using System.Text;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;
using EdgeGovernor.Hal.Redfish;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// The operator's secret files, each input read as all three: the cluster key file (<see cref="KeyFile.Read"/>), an IPMI
/// credentials file (<see cref="IpmiCredentials.Load"/>) and a Redfish credentials file (<see cref="RedfishCredentials.Load"/>),
/// written owner-only to one scratch file. Refusals are an error list or a <see cref="BmcException"/>; nothing else may escape.
/// </summary>
internal sealed class SecretFilesTarget : IFuzzTarget
{
    public string Name => "secrets";

    public string Description => "cluster key file and IPMI / Redfish credentials files (KeyFile, *Credentials.Load)";

    public void Run(ReadOnlySpan<byte> input)
    {
        string path = FuzzScratch.Write("secret", input);
        var errors = new List<ConfigError>();
        IReadOnlyList<KeyEntry> keys = KeyFile.Read(path, "$.clusterKeyFile", errors);
        if (errors.Count == 0 && keys.Count is < 1 or > 2)
        {
            throw new InvalidOperationException($"{keys.Count} keys accepted without an error");
        }
        try
        {
            IpmiCredentials.Load(path);
        }
        catch (BmcException)
        {
        }
        try
        {
            RedfishCredentials.Load(path);
        }
        catch (BmcException)
        {
        }
    }

    public IEnumerable<byte[]> Seeds()
    {
        yield return File.ReadAllBytes(Path.Combine(FuzzPaths.Repository, "firmware", "EdgeGovernor.Firmware", "examples", "cluster.key"));
        yield return "# rotation: current first, then previous\n2:f0e1d2c3b4a5968778695a4b3c2d1e0f\n1:000102030405060708090a0b0c0d0e0f1011121314151617\n"u8.ToArray();
        yield return "username=admin\npassword=s3cret\n"u8.ToArray();
        yield return Encoding.UTF8.GetBytes("# Redfish account\r\nusername = operator\r\npassword= pa=ss wörd \r\n");
    }
}
