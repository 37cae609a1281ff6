using EdgeGovernor.Firmware.Configuration;

namespace EdgeGovernor.Firmware.Cli;

/// <summary><c>edgegov keygen --out FILE</c>: makes this board's Ed25519 key pair.</summary>
/// <param name="OutPath">Where the secret key file goes (created with mode 0600; an existing file is never overwritten).</param>
internal sealed record KeygenCommand(string OutPath) : CliCommand
{
    /// <summary>Writes the secret key file and prints the public key line to paste into the other boards' peer entry.</summary>
    public int Run(TextWriter stdout, TextWriter stderr)
    {
        try
        {
            byte[] publicKey = SigningKeyFile.Create(OutPath);
            stdout.WriteLine($"\"publicKey\": \"{Convert.ToHexStringLower(publicKey)}\"");
            stderr.WriteLine($"edgegov: wrote the signing key to '{OutPath}' (mode 0600); put the line above in this board's entry of the other boards' network.peers");
            return Program.ExitOk;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"edgegov: keygen: cannot create '{OutPath}': {e.Message}{(File.Exists(OutPath) ? " (it exists: keygen never overwrites a key)" : "")}");
            return Program.ExitFailure;
        }
    }
}
