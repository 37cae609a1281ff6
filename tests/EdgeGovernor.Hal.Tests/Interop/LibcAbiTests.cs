using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using EdgeGovernor.Hal.Interop;
using EdgeGovernor.Hal.Tests.Support;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Tests.Interop;

/// <summary>
/// Proves every libc constant and struct layout the code uses against the C headers of each architecture the
/// firmware ships for (Fixtures/libc_abi.c): Tmds.LibC's values in its implementation for that architecture (open
/// flags, errno, signals, socket options, epoll, eventfd, <c>epoll_event</c>; the package's per-runtime assemblies
/// are copied beside the tests, <c>TmdsLibC/&lt;rid&gt;/</c>), and the structs <c>Interop/</c> declares itself because
/// Tmds.LibC lacks them or their calls (iovec/msghdr/mmsghdr for recvmmsg/sendmmsg, sock_filter/sock_fprog): x86-64 by compiling and running
/// the program with gcc; arm64 and arm by compiling it with the Debian cross compilers (gcc -S) and reading the
/// values from the assembly, since their code cannot run here. The reader is checked against the running
/// program on x86-64 first. The cross tests are skipped, with the packages to install, when a cross compiler
/// is missing: gcc-aarch64-linux-gnu libc6-dev-arm64-cross (arm64), gcc-arm-linux-gnueabihf
/// libc6-dev-armhf-cross (arm).
/// </summary>
public sealed unsafe partial class LibcAbiTests
{
    private const string Arm64Compiler = "aarch64-linux-gnu-gcc";
    private const string Arm64Packages = "gcc-aarch64-linux-gnu libc6-dev-arm64-cross";
    private const string ArmCompiler = "arm-linux-gnueabihf-gcc";
    private const string ArmPackages = "gcc-arm-linux-gnueabihf libc6-dev-armhf-cross";

    [Fact]
    public void X64_constants_and_layouts_match_the_compiled_headers()
    {
        Compare("x86_64", NativeToolchain.CompileAndRun("libc_abi.c", "-DABI_MAIN"), Managed(Architecture.X64, naturalLayouts: true));
    }

    [Fact]
    public void The_assembly_reader_agrees_with_the_running_program_on_x86_64()
    {
        Dictionary<string, ulong> run = NativeToolchain.CompileAndRun("libc_abi.c", "-DABI_MAIN");
        Dictionary<string, ulong> assembly = NativeToolchain.CompileToAssembly("gcc", "libc_abi.c");
        Assert.Equal(run.Keys.Order(), assembly.Keys.Order());
        foreach ((string key, ulong value) in run)
        {
            Assert.True(assembly[key] == value, $"{key}: program printed {value}, assembly reads {assembly[key]}");
        }
    }

    [CrossCompilerFact(Arm64Compiler, Arm64Packages)]
    public void Arm64_constants_and_layouts_match_the_cross_headers()
    {
        // arm64 is LP64 like x86-64: the natural-layout structs come out as measured here.
        Compare("arm64", NativeToolchain.CompileToAssembly(Arm64Compiler, "libc_abi.c"), Managed(Architecture.Arm64, naturalLayouts: true));
    }

    [CrossCompilerFact(ArmCompiler, ArmPackages)]
    public void Arm_constants_and_epoll_layout_match_the_cross_headers()
    {
        // arm is ILP32: the natural-layout structs (pointers of 4 bytes) are not measurable on this 64-bit host.
        Compare("arm", NativeToolchain.CompileToAssembly(ArmCompiler, "libc_abi.c"), Managed(Architecture.Arm, naturalLayouts: false));
    }

    [Fact]
    public void The_running_process_uses_the_implementation_of_its_own_architecture()
    {
        Architecture architecture = RuntimeInformation.ProcessArchitecture;
        TmdsLibC own = TmdsLibC.For(architecture);
        Assert.Equal(own.Constant("O_DIRECTORY"), (ulong)LibC.O_DIRECTORY);
        Assert.Equal(own.SizeOf("epoll_event"), (ulong)sizeof(epoll_event));
        Assert.Equal(own.OffsetOf("epoll_event", "data"), (ulong)Marshal.OffsetOf<epoll_event>("data"));
    }

    [Fact]
    public void The_architectures_differ_where_the_headers_do()
    {
        // The value that crashed the first arm64 election: 0x10000 is O_DIRECTORY on x86-64 and O_DIRECT on arm64.
        Assert.Equal(0x10000ul, TmdsLibC.For(Architecture.X64).Constant("O_DIRECTORY"));
        Assert.Equal(0x4000ul, TmdsLibC.For(Architecture.Arm64).Constant("O_DIRECTORY"));
        Assert.Equal(12ul, TmdsLibC.For(Architecture.X64).SizeOf("epoll_event"));
        Assert.Equal(16ul, TmdsLibC.For(Architecture.Arm64).SizeOf("epoll_event"));
    }

    [Fact]
    public void O_DIRECTORY_opens_a_directory_and_refuses_a_regular_file()
    {
        string dir = Directory.CreateTempSubdirectory("edgegov-odirectory-").FullName;
        try
        {
            string file = Path.Combine(dir, "plain");
            File.WriteAllText(file, "x");
            int fd = Libc.OpenPath(Libc.ToNativePath(dir), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
            Assert.True(fd >= 0, $"open(dir, O_DIRECTORY) failed: errno {-fd}");
            using (new FileDescriptorHandle(fd))
            {
            }

            Assert.Equal(-LibC.ENOTDIR, Libc.OpenPath(Libc.ToNativePath(file), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>What the managed code uses on <paramref name="architecture"/>, keyed as in libc_abi.c.</summary>
    private static unsafe Dictionary<string, ulong> Managed(Architecture architecture, bool naturalLayouts)
    {
        TmdsLibC tmds = TmdsLibC.For(architecture);
        var m = new Dictionary<string, ulong>();
        foreach (string name in TmdsConstants)
        {
            m["const_" + name] = tmds.Constant(name);
        }

        m["const_PATH_MAX"] = Libc.PathMax;
        m["sizeof_epoll_event"] = tmds.SizeOf("epoll_event");
        m["offsetof_epoll_event_events"] = tmds.OffsetOf("epoll_event", "events");
        m["offsetof_epoll_event_data"] = tmds.OffsetOf("epoll_event", "data");
        if (!naturalLayouts)
        {
            return m;
        }

        Assert.True(Environment.Is64BitProcess, "the natural-layout structs are measured on a 64-bit (LP64) host");
        Libc.IoVec iov = default;
        Libc.MsgHdr msg = default;
        Libc.MMsgHdr mmsg = default;
        Libc.SockFilter filter = default;
        Libc.SockFprog fprog = default;
        static ulong Off(void* field, void* start) => (ulong)((byte*)field - (byte*)start);

        m["sizeof_iovec"] = (ulong)sizeof(Libc.IoVec);
        m["offsetof_iovec_iov_base"] = Off(&iov.Base, &iov);
        m["offsetof_iovec_iov_len"] = Off(&iov.Length, &iov);
        m["sizeof_msghdr"] = (ulong)sizeof(Libc.MsgHdr);
        m["offsetof_msghdr_msg_name"] = Off(&msg.Name, &msg);
        m["offsetof_msghdr_msg_namelen"] = Off(&msg.NameLength, &msg);
        m["offsetof_msghdr_msg_iov"] = Off(&msg.Iov, &msg);
        m["offsetof_msghdr_msg_iovlen"] = Off(&msg.IovLength, &msg);
        m["offsetof_msghdr_msg_control"] = Off(&msg.Control, &msg);
        m["offsetof_msghdr_msg_controllen"] = Off(&msg.ControlLength, &msg);
        m["offsetof_msghdr_msg_flags"] = Off(&msg.Flags, &msg);
        m["sizeof_mmsghdr"] = (ulong)sizeof(Libc.MMsgHdr);
        m["offsetof_mmsghdr_msg_hdr"] = Off(&mmsg.Header, &mmsg);
        m["offsetof_mmsghdr_msg_len"] = Off(&mmsg.Length, &mmsg);
        m["sizeof_sock_filter"] = (ulong)sizeof(Libc.SockFilter);
        m["offsetof_sock_filter_code"] = Off(&filter.Code, &filter);
        m["offsetof_sock_filter_jt"] = Off(&filter.JumpTrue, &filter);
        m["offsetof_sock_filter_jf"] = Off(&filter.JumpFalse, &filter);
        m["offsetof_sock_filter_k"] = Off(&filter.K, &filter);
        m["sizeof_sock_fprog"] = (ulong)sizeof(Libc.SockFprog);
        m["offsetof_sock_fprog_len"] = Off(&fprog.Length, &fprog);
        m["offsetof_sock_fprog_filter"] = Off(&fprog.Filter, &fprog);
        return m;
    }

    /// <summary>Every Tmds.LibC constant the code uses (libc_abi.c prints each as <c>const_NAME</c>).</summary>
    private static readonly string[] TmdsConstants =
    [
        "O_RDONLY", "O_WRONLY", "O_RDWR", "O_TRUNC", "O_NONBLOCK", "O_CLOEXEC", "O_DIRECTORY", "SIGTERM",
        "EPERM", "ENOENT", "EINTR", "EIO", "ENXIO", "EAGAIN", "EACCES", "EBUSY", "ENODEV", "ENOTDIR", "EISDIR",
        "EINVAL", "ENOTTY", "EROFS", "ERANGE", "ENODATA", "EOPNOTSUPP", "ECONNREFUSED", "EREMOTEIO", "ETIMEDOUT",
        "MSG_DONTWAIT", "MSG_TRUNC", "SOL_SOCKET", "SO_ATTACH_FILTER", "SO_RXQ_OVFL",
        "EPOLLIN", "EPOLL_CTL_ADD", "EPOLL_CLOEXEC", "EFD_NONBLOCK", "EFD_CLOEXEC",
    ];

    private static void Compare(string abi, Dictionary<string, ulong> header, Dictionary<string, ulong> managed)
    {
        foreach ((string key, ulong value) in managed)
        {
            Assert.True(header.ContainsKey(key), $"{abi}: libc_abi.c does not print {key}");
            Assert.True(header[key] == value, $"{abi} {key}: the C headers say {header[key]} (0x{header[key]:x}), managed code uses {value} (0x{value:x})");
        }
    }

    /// <summary>A fact skipped (with the Debian packages to install) when its cross compiler is not on PATH.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class CrossCompilerFactAttribute : FactAttribute
    {
        public CrossCompilerFactAttribute(string compiler, string packages)
        {
            if (!NativeToolchain.OnPath(compiler))
            {
                Skip = $"{compiler} not found: apt-get install {packages} (.ci/run installs them)";
            }
        }
    }
}
