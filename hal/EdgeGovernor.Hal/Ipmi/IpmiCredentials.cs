using System.Text;
using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Ipmi;

/// <summary>
/// An IPMI user name and password. Loaded from a credentials file rather than the command line
/// or the main config, so the secret stays out of process listings, logs and version control.
/// </summary>
/// <remarks>
/// File format (UTF-8, one key per line, <c>#</c> comments, blank lines ignored):
/// <code>
/// username=admin
/// password=s3cret
/// </code>
/// On Unix the file must not be readable or writable by group or others (mode 0600 or 0400),
/// like ssh keys; otherwise loading fails. User name at most 16 bytes, password at most 20.
/// </remarks>
public sealed class IpmiCredentials
{
    /// <summary>Longest IPMI user name in bytes.</summary>
    public const int MaxUserNameBytes = 16;

    /// <summary>Longest IPMI v2.0 password in bytes.</summary>
    public const int MaxPasswordBytes = 20;

    private readonly byte[] _userName;
    private readonly byte[] _password;

    /// <summary>Validates and keeps a user name and password.</summary>
    public IpmiCredentials(string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        _userName = Encoding.UTF8.GetBytes(userName);
        _password = Encoding.UTF8.GetBytes(password);
        if (_userName.Length > MaxUserNameBytes)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"IPMI user name is {_userName.Length} bytes; at most {MaxUserNameBytes} are allowed.");
        }

        if (_password.Length > MaxPasswordBytes)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"IPMI password is {_password.Length} bytes; at most {MaxPasswordBytes} are allowed.");
        }

        UserName = userName;
    }

    /// <summary>The user name (not secret).</summary>
    public string UserName { get; }

    internal ReadOnlySpan<byte> UserNameBytes => _userName;

    internal ReadOnlySpan<byte> PasswordBytes => _password;

    /// <summary>Loads credentials from a file (see the remarks for format and permissions).</summary>
    public static IpmiCredentials Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsWindows())
        {
            UnixFileMode mode;
            try
            {
                mode = File.GetUnixFileMode(path);
            }
            catch (IOException e)
            {
                throw new BmcException(BmcErrorKind.InvalidArgument, $"IPMI credentials file '{path}' cannot be read: {e.Message}", e);
            }

            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & others) != 0)
            {
                throw new BmcException(BmcErrorKind.InvalidArgument,
                    $"IPMI credentials file '{path}' is accessible by group or others (mode {Convert.ToString((int)mode, 8)}); chmod 600 it.");
            }
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"IPMI credentials file '{path}' cannot be read: {e.Message}", e);
        }

        string? user = null, password = null;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? line : line[..eq].Trim();
            string value = eq < 0 ? string.Empty : line[(eq + 1)..];
            switch (key)
            {
                case "username" when user is null: user = value.Trim(); break;
                case "password" when password is null: password = value; break;
                default:
                    throw new BmcException(BmcErrorKind.InvalidArgument,
                        $"IPMI credentials file '{path}' line {i + 1}: expected 'username=' or 'password=' once each, found '{key}'.");
            }
        }

        if (user is null || password is null)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"IPMI credentials file '{path}' must set both username and password.");
        }

        return new IpmiCredentials(user, password);
    }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"IpmiCredentials({UserName}, password hidden)";
}
