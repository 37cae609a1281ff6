using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Redfish;

namespace EdgeGovernor.Hal.Tests.Redfish;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RedfishCredentialsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegov-redfish-cred-").FullName;

    private string Write(string text, UnixFileMode mode)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void A_0600_file_loads_and_the_password_is_never_printed()
    {
        string path = Write("# BMC rack 7\nusername = operator\npassword=a long Redfish passphrase, over twenty bytes\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        RedfishCredentials c = RedfishCredentials.Load(path);
        Assert.Equal("operator", c.UserName);
        Assert.Equal("a long Redfish passphrase, over twenty bytes", c.Password);
        Assert.DoesNotContain("passphrase", c.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("username=a\npassword=b\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "chmod 600")]
    [InlineData("username=a\npassword=b\n", UnixFileMode.UserRead | UnixFileMode.OtherRead, "chmod 600")]
    [InlineData("username=a\n", UnixFileMode.UserRead, "both")]
    [InlineData("username=a\nusername=b\npassword=c\n", UnixFileMode.UserRead, "once each")]
    [InlineData("user=a\npassword=c\n", UnixFileMode.UserRead, "found 'user'")]
    public void A_file_open_to_others_or_incomplete_is_refused(string text, UnixFileMode mode, string words)
    {
        var e = Assert.Throws<BmcException>(() => RedfishCredentials.Load(Write(text, mode)));
        Assert.Equal(BmcErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(words, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("password=b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_InvalidArgument() =>
        Assert.Equal(BmcErrorKind.InvalidArgument, Assert.Throws<BmcException>(() => RedfishCredentials.Load(Path.Combine(_dir, "absent"))).Kind);

    public void Dispose() => Directory.Delete(_dir, true);
}
