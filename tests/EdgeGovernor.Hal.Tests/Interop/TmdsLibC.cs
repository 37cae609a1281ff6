using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace EdgeGovernor.Hal.Tests.Interop;

/// <summary>
/// Tmds.LibC's implementation for one architecture (the package ships one assembly per runtime, each with that
/// architecture's constants and struct layouts), loaded from <c>TmdsLibC/&lt;rid&gt;/Tmds.LibC.dll</c> beside the
/// tests into a context of its own, so that the arm64 and arm values can be read on an x86-64 host. Only IL is run
/// (the constants are property getters); no native call is made.
/// </summary>
internal sealed class TmdsLibC
{
    private static readonly Dictionary<Architecture, TmdsLibC> Loaded = [];
    private readonly Assembly _assembly;
    private readonly Type _libc;

    private TmdsLibC(string rid)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TmdsLibC", rid, "Tmds.LibC.dll");
        Assert.True(File.Exists(path), $"{path} is missing: the test project copies the package's runtime assemblies there");
        _assembly = new AssemblyLoadContext("tmds-libc-" + rid, isCollectible: true).LoadFromAssemblyPath(path);
        _libc = _assembly.GetType("Tmds.Linux.LibC", throwOnError: true)!;
    }

    /// <summary>The implementation of <paramref name="architecture"/> (x64, arm64 or arm).</summary>
    public static TmdsLibC For(Architecture architecture)
    {
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(architecture, out TmdsLibC? libc))
            {
                string rid = architecture switch
                {
                    Architecture.X64 => "linux-x64",
                    Architecture.Arm64 => "linux-arm64",
                    Architecture.Arm => "linux-arm",
                    _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "not an architecture the firmware ships for"),
                };
                libc = new TmdsLibC(rid);
                Loaded[architecture] = libc;
            }
            return libc;
        }
    }

    /// <summary>The value of <c>LibC.<paramref name="name"/></c> (a static property or constant).</summary>
    public ulong Constant(string name)
    {
        object? value = _libc.GetProperty(name, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? _libc.GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        Assert.True(value is not null, $"Tmds.LibC has no {name}");
        return unchecked((ulong)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>sizeof(<paramref name="type"/>) as laid out by this implementation.</summary>
    public ulong SizeOf(string type) => (ulong)Marshal.SizeOf(Struct(type));

    /// <summary>offsetof(<paramref name="type"/>, <paramref name="field"/>) as laid out by this implementation.</summary>
    public ulong OffsetOf(string type, string field) => (ulong)Marshal.OffsetOf(Struct(type), field).ToInt64();

    private Type Struct(string name) => _assembly.GetType("Tmds.Linux." + name, throwOnError: true)!;
}
