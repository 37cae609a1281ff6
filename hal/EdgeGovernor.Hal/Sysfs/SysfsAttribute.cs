using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using EdgeGovernor.Hal.Interop;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Sysfs;

/// <summary>
/// One sysfs attribute file (e.g. <c>/sys/class/powercap/intel-rapl:0/energy_uj</c>).
/// Reads keep the descriptor open and <c>pread</c> at offset 0 into a buffer owned by the attribute,
/// then parse with <see cref="Utf8Parser"/>: a control loop that samples it allocates nothing.
/// Writes open with O_TRUNC, write the whole value in one call (as sysfs expects) and close.
/// Failures surface as <see cref="HalException"/> with the errno mapped to a <see cref="HalErrorKind"/>.
/// Not thread-safe: one sampler owns an attribute.
/// </summary>
public sealed class SysfsAttribute : IDisposable
{
    /// <summary>Attributes hold short values; anything longer than this is not a kernel attribute value we read.</summary>
    public const int BufferSize = 4096;

    private readonly byte[] _nativePath;
    private readonly byte[] _buffer;
    private FileDescriptorHandle? _reader;

    /// <summary>Creates an attribute for <paramref name="path"/>; nothing is opened until the first read.</summary>
    public SysfsAttribute(string path, int bufferSize = 64)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bufferSize, BufferSize);
        Path = path;
        _nativePath = Libc.ToNativePath(path);
        _buffer = new byte[bufferSize];
    }

    /// <summary>Absolute path of the attribute.</summary>
    public string Path { get; }

    /// <summary>True when a file (or a symlink to one) exists at <see cref="Path"/>.</summary>
    public bool Exists => File.Exists(Path);

    /// <summary>Reads a decimal integer (the kernel writes "%llu\n" or "%d\n").</summary>
    public long ReadInt64()
    {
        int length = ReadRaw();
        return SysfsFormat.ParseInt64(_buffer.AsSpan(0, length), Path);
    }

    /// <summary>Reads the content as text with the trailing newline removed. Allocates: for names and lists, not for sampling.</summary>
    public string ReadText()
    {
        int length = ReadRaw();
        ReadOnlySpan<byte> content = SysfsFormat.TrimEnd(_buffer.AsSpan(0, length));
        if (content.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0)
        {
            ThrowHelper.ThrowGarbage(Path, content);
        }

        return Encoding.ASCII.GetString(content);
    }

    /// <summary>Writes a decimal integer followed by a newline.</summary>
    public void Write(long value, bool accessDeniedMeansLocked = false)
    {
        Span<byte> text = stackalloc byte[24];
        Utf8Formatter.TryFormat(value, text, out int written);
        text[written++] = (byte)'\n';
        WriteRaw(text[..written], accessDeniedMeansLocked);
    }

    /// <summary>Writes text followed by a newline.</summary>
    public void WriteText(string value, bool accessDeniedMeansLocked = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        byte[] text = Encoding.ASCII.GetBytes(value + "\n");
        WriteRaw(text, accessDeniedMeansLocked);
    }

    /// <summary>Reads the raw content into the attribute's buffer; returns its length.</summary>
    private unsafe int ReadRaw()
    {
        FileDescriptorHandle reader = _reader ?? OpenReader();
        nint count;
        bool added = false;
        try
        {
            reader.DangerousAddRef(ref added);
            fixed (byte* buffer = _buffer)
            {
                count = Libc.PRead(reader.Fd, buffer, (nuint)_buffer.Length, 0);
            }
        }
        finally
        {
            if (added)
            {
                reader.DangerousRelease();
            }
        }

        if (count < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            CloseReader(); // reopen next time: the attribute may come back (hotplug, driver reload).
            ThrowHelper.ThrowErrno(errno, "reading", Path);
        }

        if (count == _buffer.Length)
        {
            ThrowHelper.ThrowGarbage(Path, _buffer);
        }

        return (int)count;
    }

    private FileDescriptorHandle OpenReader()
    {
        int fd = Libc.OpenPath(_nativePath, LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            ThrowHelper.ThrowErrno(-fd, "opening", Path);
        }

        _reader = new FileDescriptorHandle(fd);
        return _reader;
    }

    private unsafe void WriteRaw(ReadOnlySpan<byte> content, bool accessDeniedMeansLocked)
    {
        int fd = Libc.OpenPath(_nativePath, LibC.O_WRONLY | LibC.O_TRUNC | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            ThrowHelper.ThrowErrno(-fd, "opening for write", Path, accessDeniedMeansLocked);
        }

        nint written;
        int errno;
        fixed (byte* p = content)
        {
            written = Libc.Write(fd, p, (nuint)content.Length);
            errno = Marshal.GetLastPInvokeError();
        }

        Libc.Close(fd);
        if (written < 0)
        {
            ThrowHelper.ThrowErrno(errno, "writing", Path, accessDeniedMeansLocked);
        }

        if (written != content.Length)
        {
            throw new HalException(HalErrorKind.IoError, $"short write to {Path}: {written} of {content.Length} bytes", Path);
        }
    }

    private void CloseReader()
    {
        _reader?.Dispose();
        _reader = null;
    }

    /// <inheritdoc/>
    public void Dispose() => CloseReader();
}
