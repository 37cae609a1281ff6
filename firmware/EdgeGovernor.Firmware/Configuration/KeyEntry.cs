namespace EdgeGovernor.Firmware.Configuration;

/// <summary>One cluster key read from the key file.</summary>
/// <param name="KeyId">Key id carried in every datagram (0..255).</param>
/// <param name="Secret">The secret, 16 to 64 bytes.</param>
internal sealed record KeyEntry(byte KeyId, byte[] Secret);
