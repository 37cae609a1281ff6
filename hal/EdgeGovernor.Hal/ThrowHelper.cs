using System.Diagnostics.CodeAnalysis;
using EdgeGovernor.Hal.Interop;
using Tmds.Linux;

namespace EdgeGovernor.Hal;

/// <summary>Throw sites kept out of hot methods (dotnet/runtime style) so those stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowErrno(int errno, string operation, string target, bool locksMeanLocked = false) =>
        throw ErrnoException(errno, operation, target, locksMeanLocked);

    public static HalException ErrnoException(int errno, string operation, string target, bool locksMeanLocked = false)
    {
        HalErrorKind kind = Errno.Classify(errno);
        if (locksMeanLocked && kind == HalErrorKind.AccessDenied && errno == LibC.EACCES)
        {
            kind = HalErrorKind.Locked;
        }

        return new HalException(kind, $"{operation} {target} failed: {Errno.Describe(errno)} ({kind})", target, errno);
    }

    [DoesNotReturn]
    public static void ThrowGarbage(string target, ReadOnlySpan<byte> content) =>
        throw new HalException(
            HalErrorKind.Garbage,
            $"{target} holds '{Printable(content)}', which is not what the kernel writes there",
            target);

    [DoesNotReturn]
    public static void ThrowOutOfRange(string target, string what, long value, long min, long max) =>
        throw new HalException(HalErrorKind.OutOfRange, $"{what} {value} refused for {target}: the hardware accepts {min}..{max}", target);

    [DoesNotReturn]
    public static void ThrowOutOfRange(string target, string message) =>
        throw new HalException(HalErrorKind.OutOfRange, message, target);

    private static string Printable(ReadOnlySpan<byte> content)
    {
        if (content.Length > 40)
        {
            content = content[..40];
        }

        var chars = new char[content.Length];
        for (int i = 0; i < content.Length; i++)
        {
            byte b = content[i];
            chars[i] = b is >= 0x20 and < 0x7F ? (char)b : '?';
        }

        return new string(chars);
    }
}
