using System.Text;
using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>
/// A Redfish account (user name and password), read from a file that only its owner may access.
/// Same file format as the IPMI credentials (<c>username=</c>, <c>password=</c>, <c>#</c> comments), without the
/// IPMI length limits: Redfish accounts allow longer passwords (bounded here to 256 bytes each).
/// </summary>
public sealed class RedfishCredentials
{
    /// <summary>Longest user name or password accepted, in UTF-8 bytes.</summary>
    public const int MaxBytes = 256;

    private const long MaxFileBytes = 4096;

    /// <summary>Validates and keeps a user name and password.</summary>
    public RedfishCredentials(string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        if (userName.Length == 0 || Encoding.UTF8.GetByteCount(userName) > MaxBytes || Encoding.UTF8.GetByteCount(password) > MaxBytes)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"Redfish user name must be 1..{MaxBytes} bytes and the password at most {MaxBytes} bytes.");
        }

        UserName = userName;
        Password = password;
    }

    /// <summary>The user name (not secret).</summary>
    public string UserName { get; }

    /// <summary>The password: sent only in the session login body or the basic-auth header, never logged.</summary>
    internal string Password { get; }

    /// <summary>
    /// Loads <c>username=</c> and <c>password=</c> from <paramref name="path"/>. On Unix the file must not be accessible
    /// to group or others (<c>chmod 600</c>); at most 4 KiB.
    /// </summary>
    public static RedfishCredentials Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode)0b000_111_111) != 0)
            {
                throw Refuse(path, $"is accessible by group or others (mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}); chmod 600 it");
            }

            if (new FileInfo(path).Length > MaxFileBytes)
            {
                throw Refuse(path, $"is larger than {MaxFileBytes} bytes");
            }

            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refuse(path, "cannot be read: " + e.Message, e);
        }

        string? user = null, password = null;
        int number = 0;
        foreach (string raw in text.Split('\n'))
        {
            number++;
            string line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? line.Trim() : line[..eq].Trim();
            if (key == "username" && user is null)
            {
                user = line[(eq + 1)..].Trim();
            }
            else if (key == "password" && password is null)
            {
                password = line[(eq + 1)..];
            }
            else
            {
                throw Refuse(path, $"line {number}: expected 'username=' or 'password=' once each, found '{key}'");
            }
        }

        return user is not null && password is not null
            ? new RedfishCredentials(user, password)
            : throw Refuse(path, "must set both username and password");
    }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"RedfishCredentials({UserName}, password hidden)";

    private static BmcException Refuse(string path, string why, Exception? inner = null) =>
        new(BmcErrorKind.InvalidArgument, $"Redfish credentials file '{path}' {why}.", inner);
}
