using EdgeGovernor.Firmware.Cli;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;
using EdgeGovernor.TestSupport;

namespace EdgeGovernor.Firmware.Tests.Cli;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeygenTests
{
    [Fact]
    public void Keygen_writes_a_0600_key_file_and_prints_the_public_key_line_that_verifies_its_signatures()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "signing.key");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(Program.ExitOk, Program.Run(["keygen", "--out", path], stdout, stderr));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        string line = stdout.ToString().Trim();
        Assert.StartsWith("\"publicKey\": \"", line, StringComparison.Ordinal);
        string hex = line["\"publicKey\": \"".Length..^1];
        Assert.True(SigningKeyFile.TryParsePublicKey(hex, out byte[] publicKey));

        var errors = new List<ConfigError>();
        byte[] seed = SigningKeyFile.Read(path, "$.signingKeyFile", errors);
        Assert.Empty(errors);
        using var signer = new Ed25519Signer(seed);
        byte[] signature = new byte[SignatureFormat.SignatureSize];
        signer.Sign("hello"u8, signature);
        var roster = new SigningRoster();
        roster.Set(new NodeId(4), publicKey);
        Assert.True(roster.Verify(new NodeId(4), "hello"u8, signature));

        // never overwrites a key
        Assert.Equal(Program.ExitFailure, Program.Run(["keygen", "--out", path], new StringWriter(), stderr));
        Assert.Contains("never overwrites", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Keygen_help_exits_0_and_out_is_required()
    {
        var stdout = new StringWriter();
        Assert.Equal(Program.ExitOk, Program.Run(["keygen", "--help"], stdout, new StringWriter()));
        Assert.Contains("keygen --out <file>", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(Program.ExitUsage, Program.Run(["keygen"], new StringWriter(), new StringWriter()));
        Assert.Equal(new KeygenCommand("k"), CommandLine.Parse(["keygen", "--out", "k"]));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, "0604")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "0700")]
    public void A_signing_key_file_readable_by_others_is_refused_naming_the_file_and_the_mode(UnixFileMode mode, string octal)
    {
        using var dir = new TempDir();
        string path = TestSigning.Write(dir.Path);
        File.SetUnixFileMode(path, mode);
        var errors = new List<ConfigError>();
        Assert.Empty(SigningKeyFile.Read(path, "$.signingKeyFile", errors));
        ConfigError error = Assert.Single(errors);
        Assert.Equal("$.signingKeyFile", error.Path);
        Assert.Contains(path, error.Reason, StringComparison.Ordinal);
        Assert.Contains(octal, error.Reason, StringComparison.Ordinal);

        File.SetUnixFileMode(path, UnixFileMode.UserRead); // 0400 is fine
        errors.Clear();
        Assert.Equal(32, SigningKeyFile.Read(path, "$.signingKeyFile", errors).Length);
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ed25519:00")]
    [InlineData("x25519:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("ed25519:000000000000000000000000000000000000000000000000000000000000000g")]
    [InlineData("ed25519:0000000000000000000000000000000000000000000000000000000000000000\ned25519:0000000000000000000000000000000000000000000000000000000000000000")]
    public void A_malformed_signing_key_file_is_refused(string content)
    {
        var errors = new List<ConfigError>();
        Assert.Empty(SigningKeyFile.Parse(content.Split('\n'), "s.key", "$.signingKeyFile", errors));
        Assert.Contains("s.key", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_roster_holds_peers_with_a_key_and_both_keys_of_a_rotating_peer_but_not_a_peer_without_one()
    {
        using var dir = new TempDir();
        string own = TestSigning.Write(dir.Path);
        string two = TestSigning.PublicKeyOf(Path.Combine(dir.Path, "two.key"));
        string twoNext = TestSigning.PublicKeyOf(Path.Combine(dir.Path, "two-next.key"));
        var config = new FirmwareConfig
        {
            NodeId = 1,
            SigningSeed = SigningKeyFile.Read(own, "$", []),
            Network = new NetworkConfig
            {
                Peers = [new PeerConfig { NodeId = 2, PublicKey = two, NextPublicKey = twoNext }, new PeerConfig { NodeId = 3, Endpoint = "10.0.0.3:5000" }],
            },
        };
        SigningRoster roster = BoardKeys.Roster(config);
        Assert.True(roster.Contains(new NodeId(1)));
        Assert.True(roster.Contains(new NodeId(2)));
        Assert.False(roster.Contains(new NodeId(3))); // removed: no key
        byte[] signature = new byte[64];
        using (var next = new Ed25519Signer(SigningKeyFile.Read(Path.Combine(dir.Path, "two-next.key"), "$", [])))
        {
            next.Sign("m"u8, signature);
        }

        Assert.True(roster.Verify(new NodeId(2), "m"u8, signature));
        Assert.False(roster.Verify(new NodeId(3), "m"u8, signature));
    }
}
