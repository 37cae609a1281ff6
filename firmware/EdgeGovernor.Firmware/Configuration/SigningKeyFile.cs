using System.Security.Cryptography;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// This board's Ed25519 secret key file: one line <c>ed25519:&lt;64 hex digits&gt;</c> (the 32-byte seed), blank lines and
/// lines starting with <c>#</c> ignored; mode 0600 or 0400, read through <see cref="SecretFile"/>. Written by
/// <c>edgegov keygen</c>. Public keys in the configuration are 64 hex digits (<see cref="TryParsePublicKey"/>).
/// </summary>
internal static class SigningKeyFile
{
    /// <summary>The line prefix.</summary>
    public const string Prefix = "ed25519:";

    /// <summary>Reads and checks the file; problems go to <paramref name="errors"/> under <paramref name="jsonPath"/>.
    /// Returns the seed, or an empty array.</summary>
    public static byte[] Read(string path, string jsonPath, List<ConfigError> errors)
    {
        string? text = SecretFile.Read(path, "signing key file", jsonPath, errors);
        return text is null ? [] : Parse(text.Split('\n'), path, jsonPath, errors);
    }

    /// <summary>Parses the file's lines: exactly one <c>ed25519:hex</c> line holding 32 bytes.</summary>
    public static byte[] Parse(IReadOnlyList<string> lines, string fileName, string jsonPath, List<ConfigError> errors)
    {
        byte[]? seed = null;
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string where = $"signing key file '{fileName}' line {i + 1}";
            if (seed is not null)
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: a signing key file holds one key"));
                return [];
            }

            if (!line.StartsWith(Prefix, StringComparison.Ordinal) || !TryParseHex32(line.AsSpan(Prefix.Length), out seed))
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: expected '{Prefix}' and 64 hexadecimal digits (make one with 'edgegov keygen --out FILE')"));
                return [];
            }
        }

        if (seed is null)
        {
            errors.Add(new ConfigError(jsonPath, $"signing key file '{fileName}' holds no key"));
            return [];
        }

        return seed;
    }

    /// <summary>
    /// Makes a new key pair from the system's random source and writes its secret key to <paramref name="path"/> (created
    /// with mode 0600; an existing file is never overwritten: <see cref="IOException"/>). Returns the public key.
    /// </summary>
    public static byte[] Create(string path)
    {
        byte[] seed = RandomNumberGenerator.GetBytes(Ed25519Signer.SeedSize);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new StreamWriter(path, options))
            {
                file.Write(Format(seed));
            }

            using var signer = new Ed25519Signer(seed);
            return signer.PublicKey.ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The file's text for <paramref name="seed"/>.</summary>
    public static string Format(ReadOnlySpan<byte> seed) =>
        $"# edgegov Ed25519 signing key of this board: keep it secret (mode 0600)\n{Prefix}{Convert.ToHexStringLower(seed)}\n";

    /// <summary>Parses a public key of the configuration (64 hex digits).</summary>
    public static bool TryParsePublicKey(string? text, out byte[] key) => TryParseHex32(text.AsSpan().Trim(), out key);

    private static bool TryParseHex32(ReadOnlySpan<char> hex, out byte[] bytes)
    {
        bytes = [];
        if (hex.Length != 2 * SignatureFormat.PublicKeySize)
        {
            return false;
        }

        byte[] parsed = new byte[SignatureFormat.PublicKeySize];
        if (Convert.FromHexString(hex, parsed, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        bytes = parsed;
        return true;
    }
}
