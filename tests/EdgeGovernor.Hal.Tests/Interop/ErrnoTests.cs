using EdgeGovernor.Hal.Interop;
using EdgeGovernor.Hal.Sysfs;
using EdgeGovernor.Hal.Tests.Support;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Tests.Interop;

/// <summary>How kernel errors reach the control loop.</summary>
public sealed class ErrnoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegov-errno-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<int, HalErrorKind> Kinds => new()
    {
        { LibC.EACCES, HalErrorKind.AccessDenied },
        { LibC.EPERM, HalErrorKind.AccessDenied },
        { LibC.EROFS, HalErrorKind.AccessDenied },
        { LibC.EBUSY, HalErrorKind.Busy },
        { LibC.EAGAIN, HalErrorKind.Busy },
        { LibC.ENOENT, HalErrorKind.Missing },
        { LibC.ENODEV, HalErrorKind.Missing },
        { LibC.EISDIR, HalErrorKind.NotAFile },
        { LibC.EINVAL, HalErrorKind.Rejected },
        { LibC.ENODATA, HalErrorKind.Rejected },
        { LibC.EIO, HalErrorKind.IoError },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Errno_maps_to_a_kind_the_control_loop_can_act_on(int errno, HalErrorKind kind)
    {
        Assert.Equal(kind, Errno.Classify(errno));
        HalException e = ThrowHelper.ErrnoException(errno, "writing", "/sys/x");
        Assert.Equal(kind, e.Kind);
        Assert.Equal(errno, e.Errno);
        Assert.Contains("/sys/x", e.Message);
    }

    [Fact]
    public void EACCES_from_the_kernel_is_AccessDenied_or_Locked_for_powercap()
    {
        var attribute = new SysfsAttribute(FakeSysfs.ReadOnlyKernelFile);
        Assert.True(attribute.ReadInt64() > 0);
        HalException e = Assert.Throws<HalException>(() => attribute.Write(1));
        Assert.Equal(HalErrorKind.AccessDenied, e.Kind);
        Assert.Equal(LibC.EACCES, e.Errno);
        Assert.Equal(HalErrorKind.Locked, Assert.Throws<HalException>(() => attribute.Write(1, accessDeniedMeansLocked: true)).Kind);
    }

    [Fact]
    public void A_dangling_symlink_is_Missing_for_reads_and_writes()
    {
        string link = Path.Combine(_dir, "power_limit_uw");
        File.CreateSymbolicLink(link, Path.Combine(_dir, "gone"));
        using var attribute = new SysfsAttribute(link);
        Assert.Equal(HalErrorKind.Missing, Assert.Throws<HalException>(() => attribute.ReadInt64()).Kind);
        Assert.Equal(HalErrorKind.Missing, Assert.Throws<HalException>(() => attribute.Write(5)).Kind);
    }

    [Fact]
    public void A_value_longer_than_the_buffer_is_garbage()
    {
        string path = Path.Combine(_dir, "energy_uj");
        File.WriteAllText(path, new string('1', 100));
        using var attribute = new SysfsAttribute(path);
        Assert.Equal(HalErrorKind.Garbage, Assert.Throws<HalException>(() => attribute.ReadInt64()).Kind);
    }

    [Fact]
    public void Text_with_control_bytes_is_garbage()
    {
        string path = Path.Combine(_dir, "name");
        File.WriteAllBytes(path, [(byte)'p', 0x01, (byte)'\n']);
        using var attribute = new SysfsAttribute(path);
        Assert.Equal(HalErrorKind.Garbage, Assert.Throws<HalException>(() => attribute.ReadText()).Kind);
    }
}
