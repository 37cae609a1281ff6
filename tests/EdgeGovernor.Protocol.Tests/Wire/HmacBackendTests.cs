using System.Security.Cryptography;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Wire;

public sealed class HmacBackendTests
{
    [Theory]
    [InlineData(HmacBackend.Auto)]
    [InlineData(HmacBackend.Managed)]
    public void Tags_are_truncated_hmac_sha256_over_header_and_payload(HmacBackend backend)
    {
        var random = new Random(5);
        foreach (int secretLength in new[] { 16, 32, 64 })
        {
            byte[] secret = new byte[secretLength];
            random.NextBytes(secret);
            using var ring = new KeyRing(new ClusterKey(3, secret), backend: backend);
            foreach (int payloadLength in new[] { 0, 1, 8, 9, 24, 64, 87, 88, 500, WireCodec.MaxPayload })
            {
                byte[] datagram = new byte[WireCodec.DatagramSize(payloadLength)];
                random.NextBytes(datagram);
                ring.Seal(datagram);
                byte[] expected = HMACSHA256.HashData(secret, datagram.AsSpan(0, datagram.Length - WireCodec.TagSize));
                Assert.Equal(expected[..WireCodec.TagSize], datagram[^WireCodec.TagSize..]);
                Assert.Equal(DropReason.None, ring.Verify(datagram));
            }
        }
    }

    [Fact]
    public void Both_backends_interoperate()
    {
        using var native = new KeyRing(TestKeys.Key(1));
        using var managed = new KeyRing(TestKeys.Key(1), backend: HmacBackend.Managed);
        Assert.False(managed.UsesNativeSha256);
        byte[] datagram = Datagrams.Craft(TestKeys.Key(1));
        Assert.Equal(DropReason.None, native.Verify(datagram));
        Assert.Equal(DropReason.None, managed.Verify(datagram));
        managed.Seal(datagram);
        Assert.Equal(DropReason.None, native.Verify(datagram));
    }
}
