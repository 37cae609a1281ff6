using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

public sealed class IpmiCredentialsTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "egov-ipmi-cred-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_path);

    private void Write(string text, UnixFileMode mode)
    {
        File.WriteAllText(_path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_path, mode);
        }
    }

    [Fact]
    public void A_private_file_is_loaded_and_the_password_is_never_printed()
    {
        Write("# BMC of rack 7\nusername=admin\npassword= spaced pw \n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        IpmiCredentials c = IpmiCredentials.Load(_path);

        Assert.Equal("admin", c.UserName);
        Assert.DoesNotContain("spaced", c.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_or_world_readable_file_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Write("username=admin\npassword=x\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        BmcException e = Assert.Throws<BmcException>(() => IpmiCredentials.Load(_path));

        Assert.Equal(BmcErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("chmod 600", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("username=admin\n")]
    [InlineData("username=admin\npassword=a\npassword=b\n")]
    [InlineData("username=admin\npassword=a\nhost=x\n")]
    [InlineData("username=averyveryverylongname\npassword=a\n")]
    [InlineData("username=admin\npassword=123456789012345678901\n")]
    public void Incomplete_or_invalid_files_are_refused(string text)
    {
        Write(text, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal(BmcErrorKind.InvalidArgument, Assert.Throws<BmcException>(() => IpmiCredentials.Load(_path)).Kind);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        BmcException e = Assert.Throws<BmcException>(() => IpmiCredentials.Load(_path + ".missing"));
        Assert.Equal(BmcErrorKind.InvalidArgument, e.Kind);
    }
}
