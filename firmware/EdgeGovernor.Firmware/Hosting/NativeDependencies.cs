using System.Runtime.InteropServices;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The shared libraries the native binary loads at run time rather than links (glibc is linked and checked by
/// the loader itself): OpenSSL's libssl, which .NET's cryptography opens on first use (the cluster's HMAC when
/// libcrypto's fast path is missing, HTTPS feeds, Redfish). Without it .NET stops the process at that first use
/// with "No usable version of libssl was found" and exit 134; this check runs before any command that can get
/// there and says what to install instead.
/// </summary>
internal static class NativeDependencies
{
    /// <summary>Exit code when a library the process needs is missing (sysexits' EX_UNAVAILABLE); systemd does not restart on it.</summary>
    public const int ExitMissingDependency = 69;

    /// <summary>The sonames .NET 10's OpenSSL shim accepts, newest first.</summary>
    public static readonly string[] LibsslNames = ["libssl.so.3", "libssl.so.1.1"];

    /// <summary>Null when libssl loads; otherwise the sentence to print.</summary>
    public static string? MissingLibssl() => MissingLibssl(TryLoad);

    /// <summary>Null when <paramref name="tryLoad"/> loads one of <see cref="LibsslNames"/>; otherwise the sentence to print.</summary>
    public static string? MissingLibssl(Func<string, bool> tryLoad)
    {
        foreach (string name in LibsslNames)
        {
            if (tryLoad(name))
            {
                return null;
            }
        }

        return $"OpenSSL's libssl was not found (tried {string.Join(", ", LibsslNames)}). .NET's cryptography needs it for "
            + "the cluster's message authentication, HTTPS price feeds and Redfish. Install OpenSSL 3 (Debian and Ubuntu: "
            + "apt-get install libssl3) and start edgegov again.";
    }

    private static bool TryLoad(string name)
    {
        if (!NativeLibrary.TryLoad(name, out IntPtr handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }
}
