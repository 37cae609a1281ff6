using System.Net.Sockets;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>
/// Readable text for the exceptions the process prints. The native binary is built with <c>UseSystemResourceKeys</c>
/// (smaller), so the runtime's own messages are resource keys followed by their arguments
/// (<c>IO_FileExists_Name, /etc/passwd</c>); <see cref="Describe"/> turns the keys that file and socket errors use into
/// sentences naming the path, and keeps any other message as it is. Socket errors become a phrase by their
/// <see cref="SocketError"/> code; the caller names the address and port.
/// </summary>
internal static class ErrorText
{
    /// <summary>A readable sentence for <paramref name="e"/>'s message (the innermost exception with a resource key is translated).</summary>
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is SocketException s)
        {
            return Socket(s.SocketErrorCode);
        }
        if (e.InnerException is SocketException inner)
        {
            return Socket(inner.SocketErrorCode);
        }
        string message = e.Message;
        int comma = message.IndexOf(", ", StringComparison.Ordinal);
        string key = comma < 0 ? message : message[..comma];
        string arg = comma < 0 ? "" : message[(comma + 2)..];
        if (!IsResourceKey(key))
        {
            return message;
        }
        return key switch
        {
            "IO_FileExists_Name" => $"'{arg}' already exists (a file, where a new file or a directory was to be made)",
            "IO_AlreadyExists_Name" => $"'{arg}' already exists",
            "IO_FileNotFound_FileName" => $"file '{arg}' does not exist",
            "IO_FileNotFound" => "the file does not exist",
            "IO_PathNotFound_Path" => $"a directory on the path '{arg}' does not exist",
            "IO_PathNotFound_NoPathName" => "a directory on the path does not exist",
            "UnauthorizedAccess_IODenied_Path" => $"permission denied for '{arg}'",
            "UnauthorizedAccess_IODenied_NoPathName" => "permission denied",
            "IO_SharingViolation_File" => $"'{arg}' is in use by another process",
            "IO_SharingViolation_NoFileName" => "the file is in use by another process",
            "IO_PathTooLong_Path" => $"the path '{arg}' is too long",
            "IO_DiskFull_Path_AllocationSize" => $"no space left on the device for '{arg}'",
            "Arg_PathIllegal" or "Argument_InvalidPathChars" => $"the path '{arg}' holds characters a path cannot have",
            _ => $"{e.GetType().Name} ({key.Replace('_', ' ')}){(arg.Length > 0 ? $": {arg}" : "")}",
        };
    }

    /// <summary>A readable phrase for a socket error.</summary>
    public static string Socket(SocketError error) => error switch
    {
        SocketError.AddressAlreadyInUse => "the address and port are already in use by another process",
        SocketError.AddressNotAvailable => "the address is not an address of this host",
        SocketError.AccessDenied => "permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)",
        SocketError.ConnectionRefused => "connection refused (nothing listens there)",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "the host or network is unreachable",
        SocketError.TimedOut => "timed out",
        SocketError.NoBufferSpaceAvailable => "out of socket buffer space",
        SocketError.InvalidArgument => "invalid argument (a bad address or interface)",
        _ => $"socket error {error}",
    };

    // A runtime resource key (IO_FileExists_Name, net_http_...): letters, digits and underscores, at least one underscore.
    private static bool IsResourceKey(string s)
    {
        if (s.Length == 0 || !char.IsAsciiLetter(s[0]) || !s.Contains('_', StringComparison.Ordinal))
        {
            return false;
        }
        foreach (char c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }
        return true;
    }
}
