using System.Globalization;
using System.Security.Cryptography;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// The cluster key file: one key per line as <c>keyId:hexsecret</c>; the first line is the
/// current key, a second line the previous one (accepted during rotation). Blank lines and lines
/// starting with <c>#</c> are ignored. The file must be readable by its owner only (mode 0600 or 0400, see
/// <see cref="SecretFile"/>), and the example key shipped in <c>examples/cluster.key</c> is refused: it is public.
/// </summary>
internal static class KeyFile
{
    /// <summary>Shortest secret accepted, bytes.</summary>
    public const int MinSecretBytes = 16;

    /// <summary>Longest secret accepted, bytes.</summary>
    public const int MaxSecretBytes = 64;

    /// <summary>SHA-256 of the secret of the example key shipped in <c>examples/cluster.key</c> (refused wherever it appears).</summary>
    private static ReadOnlySpan<byte> ExampleSecretSha256 =>
    [
        0x70, 0x84, 0x4c, 0xeb, 0x1e, 0x4a, 0x4f, 0xa3, 0x3d, 0x05, 0xdc, 0x72, 0xb4, 0xb7, 0x99, 0x7f,
        0xbb, 0x1c, 0x87, 0x4f, 0xc0, 0x88, 0x68, 0x72, 0x49, 0x16, 0x0b, 0xa6, 0xe2, 0xd9, 0xfb, 0xa0,
    ];

    /// <summary>Reads and checks a key file; problems go to <paramref name="errors"/> under <paramref name="jsonPath"/>.</summary>
    public static IReadOnlyList<KeyEntry> Read(string path, string jsonPath, List<ConfigError> errors)
    {
        string? text = SecretFile.Read(path, "key file", jsonPath, errors);
        return text is null ? [] : Parse(text.Split('\n'), path, jsonPath, errors);
    }

    /// <summary>True when <paramref name="secret"/> is the secret of the shipped example key.</summary>
    public static bool IsExampleKey(ReadOnlySpan<byte> secret)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(secret, hash);
        return CryptographicOperations.FixedTimeEquals(hash, ExampleSecretSha256);
    }

    /// <summary>Parses key file lines.</summary>
    public static IReadOnlyList<KeyEntry> Parse(IReadOnlyList<string> lines, string fileName, string jsonPath, List<ConfigError> errors)
    {
        var keys = new List<KeyEntry>(2);
        int before = errors.Count;
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            string where = $"key file '{fileName}' line {i + 1}";
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: expected 'keyId:hexsecret'"));
                continue;
            }
            if (!byte.TryParse(line.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out byte keyId))
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: key id must be a number from 0 to 255"));
                continue;
            }
            byte[] secret;
            try
            {
                secret = Convert.FromHexString(line.AsSpan(colon + 1).Trim());
            }
            catch (FormatException)
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: the secret must be hexadecimal with an even number of digits"));
                continue;
            }
            if (secret.Length is < MinSecretBytes or > MaxSecretBytes)
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: the secret must be {MinSecretBytes} to {MaxSecretBytes} bytes, found {secret.Length}"));
                continue;
            }
            if (IsExampleKey(secret))
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: this is the example key shipped with edgegov (examples/cluster.key), which anyone can read; " +
                    "make the cluster's own key once with: echo \"1:$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n')\" > cluster.key"));
                continue;
            }
            if (keys.Exists(k => k.KeyId == keyId))
            {
                errors.Add(new ConfigError(jsonPath, $"{where}: key id {keyId} appears twice"));
                continue;
            }
            keys.Add(new KeyEntry(keyId, secret));
        }
        if (keys.Count == 0 && errors.Count == before)
        {
            errors.Add(new ConfigError(jsonPath, $"key file '{fileName}' holds no key"));
        }
        else if (keys.Count > 2)
        {
            errors.Add(new ConfigError(jsonPath, $"key file '{fileName}' holds {keys.Count} keys: at most 2 (current and previous)"));
        }
        return keys;
    }
}
