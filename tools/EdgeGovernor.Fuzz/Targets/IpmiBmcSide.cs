using System.Buffers.Binary;
using System.Security.Cryptography;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// The managed-system end of one RMCP+ session for the <c>ipmi</c> target, from the IPMI v2.0 formulas (13.28-13.32):
/// answers a <see cref="RmcpPlusCodec"/>'s Open Session Request and RAKP 1 and 3 with a known password, then seals any
/// plaintext into an encrypted, authenticated session datagram, so fuzzed bytes reach the codec's payload parsers.
/// </summary>
internal sealed class IpmiBmcSide
{
    public const uint BmcSessionId = 0x0A0B0C0D;
    private static readonly byte[] User = "admin"u8.ToArray();
    private static readonly byte[] Password = "fuzz-pass"u8.ToArray();

    private readonly IpmiCipherSuite _suite;
    private readonly byte[] _kuid = new byte[20];
    private readonly byte[] _rc = [.. Enumerable.Range(0xA0, 16).Select(i => (byte)i)];
    private readonly byte[] _guid = [.. Enumerable.Range(0xB0, 16).Select(i => (byte)i)];
    private byte[] _rm = [];
    private byte[] _sik = [];
    private byte[] _k1 = [];
    private Aes? _aes;
    private uint _consoleSessionId;
    private uint _sequence;

    public IpmiBmcSide(IpmiCipherSuite suite)
    {
        _suite = suite;
        Password.CopyTo(_kuid, 0);
    }

    /// <summary>The cipher suite of the session.</summary>
    public IpmiCipherSuite Suite => _suite;

    /// <summary>Integrity tag length of the suite.</summary>
    public int TagLength => _suite == IpmiCipherSuite.Suite3 ? 12 : 16;

    /// <summary>A console codec for this BMC's account, with deterministic "randomness".</summary>
    public RmcpPlusCodec NewCodec()
    {
        byte next = 1;
        return new RmcpPlusCodec(_suite, User, Password, IpmiPrivilege.Administrator, span =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = next++;
            }
        });
    }

    /// <summary>Runs the codec through Open Session and RAKP 1-4; <paramref name="steps"/> 1 stops after Open Session, 2 after RAKP 2.</summary>
    public void Handshake(RmcpPlusCodec codec, int steps = 3)
    {
        Span<byte> d = stackalloc byte[RmcpPlusCodec.MaxDatagram];
        int n = codec.WriteOpenSessionRequest(d, 1);
        Require(codec.ReadOpenSessionResponse(OpenSessionResponse(d[..n]), 1));
        if (steps < 2)
        {
            return;
        }
        n = codec.WriteRakp1(d, 2);
        Require(codec.ReadRakp2(Rakp2(d[..n]), 2));
        if (steps < 3)
        {
            return;
        }
        Require(codec.ReadRakp4(Rakp4(3), 3));
    }

    /// <summary>An unauthenticated RMCP+ datagram (session set-up) carrying <paramref name="payload"/>.</summary>
    public static byte[] Unauthenticated(byte payloadType, ReadOnlySpan<byte> payload)
    {
        byte[] d = new byte[16 + payload.Length];
        d[0] = 0x06;
        d[2] = 0xFF;
        d[3] = 0x07;
        d[4] = 0x06;
        d[5] = payloadType;
        BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(14), (ushort)payload.Length);
        payload.CopyTo(d.AsSpan(16));
        return d;
    }

    /// <summary>
    /// Seals <paramref name="plain"/> (a whole number of AES blocks: message, confidentiality pad and pad length) into a
    /// session datagram to the console with the next sequence number: IV, AES-CBC, integrity pad and tag.
    /// </summary>
    public byte[] Seal(ReadOnlySpan<byte> plain)
    {
        byte[] iv = [.. Enumerable.Range(0x30, 16).Select(i => (byte)i)];
        byte[] cipher = _aes!.EncryptCbc(plain, iv, PaddingMode.None);
        int payloadLength = 16 + cipher.Length;
        int pad = (4 - ((12 + payloadLength + 2) % 4)) % 4;
        byte[] d = new byte[16 + payloadLength + pad + 2 + TagLength];
        d[0] = 0x06;
        d[2] = 0xFF;
        d[3] = 0x07;
        d[4] = 0x06;
        d[5] = 0xC0;
        BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(6), _consoleSessionId);
        BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(10), ++_sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(14), (ushort)payloadLength);
        iv.CopyTo(d, 16);
        cipher.CopyTo(d, 32);
        int trailer = 16 + payloadLength;
        d.AsSpan(trailer, pad).Fill(0xFF);
        d[trailer + pad] = (byte)pad;
        d[trailer + pad + 1] = 0x07;
        int macEnd = trailer + pad + 2;
        Hmac(_k1, d.AsSpan(4, macEnd - 4)).AsSpan(0, TagLength).CopyTo(d.AsSpan(macEnd));
        return d;
    }

    public byte[] OpenSessionResponse(ReadOnlySpan<byte> request)
    {
        ReadOnlySpan<byte> p = request[16..];
        _consoleSessionId = BinaryPrimitives.ReadUInt32LittleEndian(p[4..]);
        byte[] r = new byte[36];
        r[0] = p[0];
        r[2] = p[1];
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(4), _consoleSessionId);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(8), BmcSessionId);
        p.Slice(8, 24).CopyTo(r.AsSpan(12));
        return Unauthenticated(RmcpPlusCodec.PayloadOpenSessionResponse, r);
    }

    public byte[] Rakp2(ReadOnlySpan<byte> rakp1)
    {
        ReadOnlySpan<byte> p = rakp1[16..];
        _rm = p.Slice(8, 16).ToArray();
        byte role = p[24];
        byte[] name = p.Slice(28, p[27]).ToArray();
        byte[] ids = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(ids, _consoleSessionId);
        BinaryPrimitives.WriteUInt32LittleEndian(ids.AsSpan(4), BmcSessionId);
        byte[] code = Hmac(_kuid, [.. ids, .. _rm, .. _rc, .. _guid, role, (byte)name.Length, .. name]);
        _sik = Hmac(_kuid, [.. _rm, .. _rc, role, (byte)name.Length, .. name]);
        int hashLength = _sik.Length;
        _k1 = Hmac(_sik, [.. Enumerable.Repeat((byte)1, hashLength)]);
        byte[] k2 = Hmac(_sik, [.. Enumerable.Repeat((byte)2, hashLength)]);
        _aes?.Dispose();
        _aes = Aes.Create();
        _aes.Key = k2[..16];
        return Unauthenticated(RmcpPlusCodec.PayloadRakp2, [p[0], 0, 0, 0, .. ids[..4], .. _rc, .. _guid, .. code]);
    }

    public byte[] Rakp4(byte tag)
    {
        byte[] id = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(id, BmcSessionId);
        byte[] icv = Hmac(_sik, [.. _rm, .. id, .. _guid]);
        byte[] console = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(console, _consoleSessionId);
        return Unauthenticated(RmcpPlusCodec.PayloadRakp4, [tag, 0, 0, 0, .. console, .. icv.AsSpan(0, TagLength)]);
    }

    private byte[] Hmac(byte[] key, ReadOnlySpan<byte> data) =>
        _suite == IpmiCipherSuite.Suite3 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    private static void Require(bool accepted)
    {
        if (!accepted)
        {
            throw new InvalidOperationException("the fuzz harness's RMCP+ handshake was refused");
        }
    }
}
