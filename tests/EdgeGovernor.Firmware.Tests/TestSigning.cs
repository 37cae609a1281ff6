using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Tests;

/// <summary>Boards' signing key files for test configurations (made once per directory and board, mode 0600).</summary>
internal static class TestSigning
{
    /// <summary>The key file of board <paramref name="id"/> in <paramref name="directory"/> (<c>signing.key</c> for board 1
    /// unless <paramref name="name"/> says otherwise), made if missing; returns its path.</summary>
    public static string Write(string directory, string? name = null)
    {
        string path = Path.Combine(directory, name ?? "signing.key");
        if (!File.Exists(path))
        {
            SigningKeyFile.Create(path);
        }

        return path;
    }

    /// <summary>The public key (hex) of the key file at <paramref name="path"/>, made if missing.</summary>
    public static string PublicKeyOf(string path)
    {
        Write(Path.GetDirectoryName(path)!, Path.GetFileName(path));
        byte[] seed = SigningKeyFile.Read(path, "$", []);
        using var signer = new Ed25519Signer(seed);
        return Convert.ToHexStringLower(signer.PublicKey);
    }
}
