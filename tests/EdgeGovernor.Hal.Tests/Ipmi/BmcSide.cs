using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>
/// The managed-system side of RMCP+ written out directly from the IPMI v2.0 formulas (section
/// 13.28-13.32), independent of <see cref="RmcpPlusCodec"/>: it builds the BMC's datagrams and
/// checks the console's, so the codec is tested against the specification's field order.
/// </summary>
internal sealed class BmcSide
{
    public const uint BmcSessionId = 0x11223344;

    public BmcSide(IpmiCipherSuite suite, string user, string password)
    {
        Suite = suite;
        User = Encoding.ASCII.GetBytes(user);
        Kuid = new byte[20];
        Encoding.ASCII.GetBytes(password).CopyTo(Kuid, 0);
        HashLength = suite == IpmiCipherSuite.Suite3 ? 20 : 32;
        TagLength = suite == IpmiCipherSuite.Suite3 ? 12 : 16;
        for (int i = 0; i < 16; i++)
        {
            Rc[i] = (byte)(0xA0 + i);
            Guid[i] = (byte)(0xB0 + i);
        }
    }

    public IpmiCipherSuite Suite { get; }
    public byte[] User { get; }
    public byte[] Kuid { get; }
    public int HashLength { get; }
    public int TagLength { get; }
    public byte[] Rc { get; } = new byte[16];
    public byte[] Guid { get; } = new byte[16];
    public byte[] Rm { get; private set; } = [];
    public byte Role { get; private set; }
    public uint ConsoleSessionId { get; private set; }
    public byte[] Sik { get; private set; } = [];
    public byte[] K1 { get; private set; } = [];
    public byte[] K2 { get; private set; } = [];
    public uint OutboundSeq { get; set; }

    public byte[] Hmac(byte[] key, params byte[][] parts)
    {
        byte[] data = parts.SelectMany(p => p).ToArray();
        return Suite == IpmiCipherSuite.Suite3 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);
    }

    public static byte[] Le(uint v)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    public static byte[] Unauthenticated(byte payloadType, byte[] payload)
    {
        byte[] d = new byte[16 + payload.Length];
        new byte[] { 0x06, 0x00, 0xFF, 0x07, 0x06, payloadType }.CopyTo(d, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(14), (ushort)payload.Length);
        payload.CopyTo(d, 16);
        return d;
    }

    public static byte[] PayloadOf(byte[] datagram) => datagram.AsSpan(16, BinaryPrimitives.ReadUInt16LittleEndian(datagram.AsSpan(14))).ToArray();

    /// <summary>Reads the Open Session Request and answers it.</summary>
    public byte[] OpenSessionResponse(byte[] request)
    {
        byte[] p = PayloadOf(request);
        ConsoleSessionId = BinaryPrimitives.ReadUInt32LittleEndian(p.AsSpan(4));
        byte[] r = new byte[36];
        r[0] = p[0];
        r[2] = p[1];
        Le(ConsoleSessionId).CopyTo(r, 4);
        Le(BmcSessionId).CopyTo(r, 8);
        p.AsSpan(8, 24).CopyTo(r.AsSpan(12));
        return Unauthenticated(0x11, r);
    }

    /// <summary>Reads RAKP 1 and answers with RAKP 2 (optionally with a wrong key exchange code).</summary>
    public byte[] Rakp2(byte[] rakp1, bool corrupt = false)
    {
        byte[] p = PayloadOf(rakp1);
        Rm = p.AsSpan(8, 16).ToArray();
        Role = p[24];
        byte[] uname = p.AsSpan(28, p[27]).ToArray();
        byte[] code = Hmac(Kuid, Le(ConsoleSessionId), Le(BmcSessionId), Rm, Rc, Guid, [Role, (byte)uname.Length], uname);
        if (corrupt)
        {
            code[0] ^= 1;
        }

        Sik = Hmac(Kuid, Rm, Rc, [Role, (byte)uname.Length], uname);
        K1 = Hmac(Sik, Enumerable.Repeat((byte)1, HashLength).ToArray());
        K2 = Hmac(Sik, Enumerable.Repeat((byte)2, HashLength).ToArray());
        return Unauthenticated(0x13, [p[0], 0, 0, 0, .. Le(ConsoleSessionId), .. Rc, .. Guid, .. code]);
    }

    /// <summary>The key exchange code RAKP 3 must carry.</summary>
    public byte[] ExpectedRakp3Code() => Hmac(Kuid, Rc, Le(ConsoleSessionId), [Role, (byte)User.Length], User);

    public byte[] Rakp4(byte tag) => Unauthenticated(0x15, Rakp4Payload(tag));

    /// <summary>The RAKP 4 payload: tag, status, console session id, integrity check value.</summary>
    public byte[] Rakp4Payload(byte tag) =>
        [tag, 0, 0, 0, .. Le(ConsoleSessionId), .. Hmac(Sik, Rm, Le(BmcSessionId), Guid).AsSpan(0, TagLength)];

    /// <summary>Checks a session request's integrity tag and decrypts its IPMI message.</summary>
    public byte[] OpenRequest(byte[] datagram)
    {
        int macEnd = datagram.Length - TagLength;
        byte[] mac = Hmac(K1, datagram[4..macEnd]);
        if (!mac.AsSpan(0, TagLength).SequenceEqual(datagram.AsSpan(macEnd)))
        {
            throw new InvalidOperationException("integrity tag mismatch");
        }

        if (datagram[5] != 0xC0 || BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(6)) != BmcSessionId || (macEnd - 4) % 4 != 0)
        {
            throw new InvalidOperationException("bad session header");
        }

        byte[] payload = PayloadOf(datagram);
        using Aes aes = Aes.Create();
        aes.Key = K2[..16];
        byte[] plain = aes.DecryptCbc(payload[16..], payload[..16], PaddingMode.None);
        int pad = plain[^1];
        return plain[..^(pad + 1)];
    }

    /// <summary>Builds an encrypted, authenticated session datagram to the console carrying <paramref name="message"/> (an IPMI message, or the payload of <paramref name="payloadType"/>).</summary>
    public byte[] SessionDatagram(byte[] message, byte[]? iv = null, byte payloadType = 0x00)
    {
        iv ??= Enumerable.Range(0x30, 16).Select(i => (byte)i).ToArray();
        int padded = (message.Length + 1 + 15) / 16 * 16;
        byte[] plain = new byte[padded];
        message.CopyTo(plain, 0);
        int confPad = padded - message.Length - 1;
        for (int i = 0; i < confPad; i++)
        {
            plain[message.Length + i] = (byte)(i + 1);
        }

        plain[^1] = (byte)confPad;
        using Aes aes = Aes.Create();
        aes.Key = K2[..16];
        byte[] payload = [.. iv, .. aes.EncryptCbc(plain, iv, PaddingMode.None)];
        List<byte> d = [0x06, 0x00, 0xFF, 0x07, 0x06, (byte)(0xC0 | payloadType), .. Le(ConsoleSessionId), .. Le(++OutboundSeq), (byte)payload.Length, (byte)(payload.Length >> 8), .. payload];
        int pad = (4 - ((d.Count - 4 + 2) % 4)) % 4;
        for (int i = 0; i < pad; i++)
        {
            d.Add(0xFF);
        }

        d.Add((byte)pad);
        d.Add(0x07);
        byte[] mac = Hmac(K1, d.Skip(4).ToArray());
        d.AddRange(mac.AsSpan(0, TagLength).ToArray());
        return d.ToArray();
    }

    /// <summary>An IPMI response message (to the console) with checksums.</summary>
    public static byte[] ResponseMessage(byte netFn, byte cmd, byte rqSeq, byte cc, params byte[] data)
    {
        byte[] m = [0x81, (byte)((netFn | 1) << 2), 0, 0x20, (byte)(rqSeq << 2), cmd, cc, .. data, 0];
        m[2] = IpmiLanMessage.Checksum(m.AsSpan(0, 2));
        m[^1] = IpmiLanMessage.Checksum(m.AsSpan(3, m.Length - 4));
        return m;
    }
}
