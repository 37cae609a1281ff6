using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Ipmi;

/// <summary>
/// Sans-IO codec of one IPMI 2.0 / RMCP+ session: builds and checks every datagram of session
/// set-up (Get Channel Authentication Capabilities, Open Session, RAKP 1-4) and of the session's
/// authenticated, encrypted IPMI messages. It keeps the session state (ids, keys, sequence
/// numbers) but does no I/O and reads no clock; randomness comes from an injected source.
/// <code>
/// RMCP:        06 00 FF 07
/// IPMI 1.5:    authType(00) seq(4) sessionId(4) len(1) message          (pre-session only)
/// IPMI 2.0:    authType(06) payloadType(1: bit7 encrypted, bit6 authenticated, type)
///              sessionId(4 LE) sessionSeq(4 LE) payloadLen(2 LE) payload
///              [pad FF.. | padLen(1) | nextHeader(07) | authCode(12 or 16)]   (when authenticated)
/// encrypted payload (AES-CBC-128, key = K2[0..16)): IV(16) | E(data | 01 02 .. n | n)
/// authCode = HMAC(K1, authType .. nextHeader) truncated to 12 (SHA1-96) or 16 (SHA256-128) bytes
/// </code>
/// Write methods return the datagram length (0 when the destination is too small). Read methods
/// validate everything: they return false for a well-formed datagram that belongs to no pending
/// exchange (a stale reply), and throw <see cref="BmcException"/> for anything else that is wrong.
/// </summary>
public sealed class RmcpPlusCodec : IDisposable
{
    /// <summary>Payload types (IPMI v2.0 table 13-16).</summary>
    public const byte PayloadIpmi = 0x00, PayloadOpenSessionRequest = 0x10, PayloadOpenSessionResponse = 0x11,
        PayloadRakp1 = 0x12, PayloadRakp2 = 0x13, PayloadRakp3 = 0x14, PayloadRakp4 = 0x15;

    /// <summary>Largest datagram this codec writes or accepts.</summary>
    public const int MaxDatagram = 512;

    private const int RmcpHeader = 4;
    private const int SessionHeader = 12; // authType .. payloadLen
    private const int Rakp1Fixed = 28;
    private const int MaxUserName = 16;
    private const int MaxPassword = 20;
    private const int AesBlock = 16;
    private const int ReplayWindow = 32;

    private readonly CipherSuiteAlgorithms _alg;
    private readonly IpmiRandomSource _random;
    private readonly byte[] _user;
    private readonly byte[] _kuid = new byte[MaxPassword];
    private readonly byte _role;
    private readonly byte[] _rm = new byte[16];
    private readonly byte[] _rc = new byte[16];
    private readonly byte[] _guid = new byte[16];
    private readonly byte[] _sik;
    private readonly byte[] _k1;
    private readonly byte[] _k2;
    private readonly byte[] _mac;
    private readonly byte[] _scratch = new byte[MaxDatagram];
    private readonly byte[] _plain = new byte[MaxDatagram];
    private readonly byte[] _block = new byte[AesBlock];
    private Aes? _aes;
    private ICryptoTransform? _encryptor;
    private ICryptoTransform? _decryptor;
    private IncrementalHash? _integrity;
    private uint _outboundSeq;
    private uint _inboundHighest;
    private uint _inboundSeen; // bit i: highest - i seen

    /// <summary>Creates the codec for a session of <paramref name="userName"/> (at most 16 bytes) with <paramref name="password"/> (at most 20 bytes).</summary>
    public RmcpPlusCodec(IpmiCipherSuite suite, ReadOnlySpan<byte> userName, ReadOnlySpan<byte> password,
        IpmiPrivilege privilege, IpmiRandomSource? random = null)
    {
        _alg = CipherSuiteAlgorithms.For(suite);
        if (userName.Length > MaxUserName)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"IPMI user name is {userName.Length} bytes; at most {MaxUserName} are allowed.");
        }

        if (password.Length > MaxPassword)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"IPMI password is {password.Length} bytes; at most {MaxPassword} are allowed.");
        }

        if (privilege is < IpmiPrivilege.Callback or > IpmiPrivilege.Administrator)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"IPMI privilege level {(byte)privilege} is not valid.");
        }

        Suite = suite;
        Privilege = privilege;
        _random = random ?? RandomNumberGenerator.Fill;
        _user = userName.ToArray();
        password.CopyTo(_kuid);
        _role = (byte)(0x10 | (byte)privilege); // name-only lookup
        _sik = new byte[_alg.HashLength];
        _k1 = new byte[_alg.HashLength];
        _k2 = new byte[_alg.HashLength];
        _mac = new byte[_alg.HashLength];
        Reset();
    }

    /// <summary>The cipher suite this codec negotiates.</summary>
    public IpmiCipherSuite Suite { get; }

    /// <summary>The requested maximum privilege.</summary>
    public IpmiPrivilege Privilege { get; }

    /// <summary>Our (remote console) session id: the BMC puts it in every datagram it sends us.</summary>
    public uint ConsoleSessionId { get; private set; }

    /// <summary>The BMC's (managed system) session id: we put it in every datagram we send.</summary>
    public uint BmcSessionId { get; private set; }

    /// <summary>True once RAKP 4 has been verified: IPMI messages can be exchanged.</summary>
    public bool IsActive { get; private set; }

    /// <summary>The session sequence number of the last datagram written.</summary>
    public uint OutboundSequence => _outboundSeq;

    /// <summary>Forgets the session and picks a fresh console session id; keys are cleared.</summary>
    public void Reset()
    {
        IsActive = false;
        BmcSessionId = 0;
        _outboundSeq = 0;
        _inboundHighest = 0;
        _inboundSeen = 0;
        CryptographicOperations.ZeroMemory(_sik);
        CryptographicOperations.ZeroMemory(_k1);
        CryptographicOperations.ZeroMemory(_k2);
        DisposeSessionCrypto();
        Span<byte> id = stackalloc byte[4];
        do
        {
            _random(id);
            ConsoleSessionId = BinaryPrimitives.ReadUInt32LittleEndian(id);
        }
        while (ConsoleSessionId == 0);
    }

    /// <summary>Writes Get Channel Authentication Capabilities (IPMI 1.5 framing, IPMI 2.0 extended data requested).</summary>
    public static int WriteGetChannelAuthCapabilities(Span<byte> destination, IpmiPrivilege privilege)
    {
        const int length = RmcpHeader + 10 + IpmiLanMessage.RequestOverhead + 2;
        if (destination.Length < length)
        {
            return 0;
        }

        WriteRmcp(destination);
        destination.Slice(4, 9).Clear(); // auth type none, sequence 0, session id 0
        destination[13] = IpmiLanMessage.RequestOverhead + 2;
        ReadOnlySpan<byte> data = [0x8E, (byte)privilege]; // current channel, IPMI v2.0 extended
        return 14 + IpmiLanMessage.TryWriteRequest(destination[14..], 0x06, 0x38, 0, data);
    }

    /// <summary>Checks the reply to Get Channel Authentication Capabilities: the channel must support IPMI 2.0.</summary>
    public static bool ReadGetChannelAuthCapabilities(ReadOnlySpan<byte> datagram)
    {
        CheckRmcp(datagram);
        if (datagram[4] == 0x06)
        {
            return false; // RMCP+ (IPMI 2.0): a late reply of an earlier session, not this request's answer
        }

        if (datagram.Length < 14 || datagram[4] != 0x00)
        {
            throw IpmiLanMessage.Malformed("Get Channel Authentication Capabilities reply is not an IPMI 1.5 session-less datagram.");
        }

        int length = datagram[13];
        if (datagram.Length < 14 + length)
        {
            throw IpmiLanMessage.Malformed($"IPMI 1.5 message length {length} exceeds the datagram.");
        }

        if (!IpmiLanMessage.TryParseResponse(datagram.Slice(14, length), 0x06, 0x38, 0, out byte cc, out ReadOnlySpan<byte> data))
        {
            return false;
        }

        ThrowOnCompletionCode(cc, "Get Channel Authentication Capabilities");
        if (data.Length < 8)
        {
            throw IpmiLanMessage.Malformed($"Get Channel Authentication Capabilities returned {data.Length} data bytes, expected 8.");
        }

        if ((data[1] & 0x80) == 0 || (data[3] & 0x02) == 0)
        {
            throw new BmcException(BmcErrorKind.UnsupportedCipherSuite, "The BMC channel does not support IPMI v2.0 / RMCP+.");
        }

        return true;
    }

    /// <summary>Writes the Open Session Request proposing this codec's cipher suite.</summary>
    public int WriteOpenSessionRequest(Span<byte> destination, byte tag)
    {
        Span<byte> payload = stackalloc byte[32];
        payload[0] = tag;
        payload[1] = (byte)Privilege;
        payload[2] = 0;
        payload[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(payload[4..], ConsoleSessionId);
        WriteAlgorithm(payload[8..], 0x00, _alg.AuthenticationAlgorithm);
        WriteAlgorithm(payload[16..], 0x01, _alg.IntegrityAlgorithm);
        WriteAlgorithm(payload[24..], 0x02, _alg.ConfidentialityAlgorithm);
        return WriteUnauthenticated(destination, PayloadOpenSessionRequest, payload);
    }

    /// <summary>Reads the Open Session Response; on success learns the BMC's session id.</summary>
    public bool ReadOpenSessionResponse(ReadOnlySpan<byte> datagram, byte tag)
    {
        if (!TryReadUnauthenticated(datagram, PayloadOpenSessionResponse, out ReadOnlySpan<byte> p) || p.Length < 2 || p[0] != tag)
        {
            return false;
        }

        if (p[1] != 0)
        {
            throw StatusError("Open Session", p[1]);
        }

        if (p.Length < 36)
        {
            throw IpmiLanMessage.Malformed($"Open Session Response is {p.Length} bytes, expected 36.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(p[4..]) != ConsoleSessionId)
        {
            return false;
        }

        uint bmcId = BinaryPrimitives.ReadUInt32LittleEndian(p[8..]);
        if (bmcId == 0)
        {
            throw IpmiLanMessage.Malformed("Open Session Response carries managed system session id 0.");
        }

        if (p[12] != 0x00 || p[16] != _alg.AuthenticationAlgorithm || p[20] != 0x01 || p[24] != _alg.IntegrityAlgorithm
            || p[28] != 0x02 || p[32] != _alg.ConfidentialityAlgorithm)
        {
            throw new BmcException(BmcErrorKind.UnsupportedCipherSuite,
                $"The BMC answered with algorithms {p[16]:X2}/{p[24]:X2}/{p[32]:X2} instead of cipher suite {(byte)Suite}.");
        }

        BmcSessionId = bmcId;
        _random(_rm); // one Rm per set-up, so a retransmitted RAKP 1 matches a late RAKP 2
        return true;
    }

    /// <summary>Writes RAKP message 1 with the console random number drawn when the Open Session Response arrived.</summary>
    public int WriteRakp1(Span<byte> destination, byte tag)
    {
        Span<byte> payload = stackalloc byte[Rakp1Fixed + MaxUserName];
        payload[..4].Clear();
        payload[0] = tag;
        BinaryPrimitives.WriteUInt32LittleEndian(payload[4..], BmcSessionId);
        _rm.CopyTo(payload[8..]);
        payload[24] = _role;
        payload[25] = 0;
        payload[26] = 0;
        payload[27] = (byte)_user.Length;
        _user.CopyTo(payload[28..]);
        return WriteUnauthenticated(destination, PayloadRakp1, payload[..(Rakp1Fixed + _user.Length)]);
    }

    /// <summary>Reads RAKP message 2, verifies the BMC's key exchange code (proves both sides know the password) and derives the session keys.</summary>
    public bool ReadRakp2(ReadOnlySpan<byte> datagram, byte tag)
    {
        if (!TryReadUnauthenticated(datagram, PayloadRakp2, out ReadOnlySpan<byte> p) || p.Length < 2 || p[0] != tag)
        {
            return false;
        }

        if (p[1] == 0x0D)
        {
            throw new BmcException(BmcErrorKind.AuthenticationFailed,
                $"RAKP 2 refused by the BMC with status 0x0D ({DescribeStatus(0x0D)}): unknown user '{Encoding.UTF8.GetString(_user)}'.");
        }

        if (p[1] != 0)
        {
            throw StatusError("RAKP 2", p[1]);
        }

        if (p.Length != 40 + _alg.HashLength)
        {
            throw IpmiLanMessage.Malformed($"RAKP 2 is {p.Length} bytes, expected {40 + _alg.HashLength}.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(p[4..]) != ConsoleSessionId)
        {
            return false;
        }

        p.Slice(8, 16).CopyTo(_rc);
        p.Slice(24, 16).CopyTo(_guid);

        // HMAC_Kuid(SIDm | SIDc | Rm | Rc | GUIDc | ROLEm | ULENGTHm | UNAMEm)
        Span<byte> input = stackalloc byte[58 + MaxUserName];
        BinaryPrimitives.WriteUInt32LittleEndian(input, ConsoleSessionId);
        BinaryPrimitives.WriteUInt32LittleEndian(input[4..], BmcSessionId);
        _rm.CopyTo(input[8..]);
        _rc.CopyTo(input[24..]);
        _guid.CopyTo(input[40..]);
        input[56] = _role;
        input[57] = (byte)_user.Length;
        _user.CopyTo(input[58..]);
        Hmac(_kuid, input[..(58 + _user.Length)], _mac);
        if (!CryptographicOperations.FixedTimeEquals(_mac.AsSpan(0, _alg.HashLength), p.Slice(40, _alg.HashLength)))
        {
            throw new BmcException(BmcErrorKind.AuthenticationFailed,
                "RAKP 2 key exchange authentication code does not match: wrong password (or BMC key) for this user.");
        }

        // SIK = HMAC_Kg(Rm | Rc | ROLEm | ULENGTHm | UNAMEm), Kg = Kuid when the BMC has no key.
        Span<byte> sikInput = stackalloc byte[34 + MaxUserName];
        _rm.CopyTo(sikInput);
        _rc.CopyTo(sikInput[16..]);
        sikInput[32] = _role;
        sikInput[33] = (byte)_user.Length;
        _user.CopyTo(sikInput[34..]);
        Hmac(_kuid, sikInput[..(34 + _user.Length)], _sik);
        Span<byte> constant = stackalloc byte[_alg.HashLength];
        constant.Fill(0x01);
        Hmac(_sik, constant, _k1);
        constant.Fill(0x02);
        Hmac(_sik, constant, _k2);
        CreateSessionCrypto(); // a BMC may answer a retransmitted RAKP 3 inside the session (see ReadRakp4)
        return true;
    }

    /// <summary>Writes RAKP message 3: our proof of the password.</summary>
    public int WriteRakp3(Span<byte> destination, byte tag)
    {
        // HMAC_Kuid(Rc | SIDm | ROLEm | ULENGTHm | UNAMEm)
        Span<byte> input = stackalloc byte[22 + MaxUserName];
        _rc.CopyTo(input);
        BinaryPrimitives.WriteUInt32LittleEndian(input[16..], ConsoleSessionId);
        input[20] = _role;
        input[21] = (byte)_user.Length;
        _user.CopyTo(input[22..]);
        Span<byte> payload = stackalloc byte[8 + 32];
        payload[0] = tag;
        payload[1] = 0;
        payload[2] = 0;
        payload[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(payload[4..], BmcSessionId);
        Hmac(_kuid, input[..(22 + _user.Length)], payload[8..]);
        return WriteUnauthenticated(destination, PayloadRakp3, payload[..(8 + _alg.HashLength)]);
    }

    /// <summary>
    /// Reads RAKP message 4 and verifies its integrity check value; the session is then active.
    /// When the first RAKP 4 was lost and RAKP 3 was sent again, BMCs (ipmi_sim, pyghmi) answer the
    /// repeat inside the session they just activated: authenticated (and encrypted) with K1/K2 and a
    /// session sequence number. That form is accepted too, after its integrity tag is checked.
    /// </summary>
    public bool ReadRakp4(ReadOnlySpan<byte> datagram, byte tag)
    {
        ReadOnlySpan<byte> p;
        if (datagram.Length > 5 && datagram[4] == 0x06 && (datagram[5] & 0x3F) == PayloadRakp4 && (datagram[5] & 0xC0) != 0)
        {
            if (_integrity is null || !TryOpenSessionPayload(datagram, out p))
            {
                return false;
            }
        }
        else if (!TryReadUnauthenticated(datagram, PayloadRakp4, out p))
        {
            return false;
        }

        if (p.Length < 2 || p[0] != tag)
        {
            return false;
        }

        if (p[1] != 0)
        {
            throw StatusError("RAKP 4", p[1]);
        }

        int icvLength = _alg.IntegrityTagLength;
        if (p.Length != 8 + icvLength)
        {
            throw IpmiLanMessage.Malformed($"RAKP 4 is {p.Length} bytes, expected {8 + icvLength}.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(p[4..]) != ConsoleSessionId)
        {
            return false;
        }

        // HMAC_SIK(Rm | SIDc | GUIDc), truncated
        Span<byte> input = stackalloc byte[36];
        _rm.CopyTo(input);
        BinaryPrimitives.WriteUInt32LittleEndian(input[16..], BmcSessionId);
        _guid.CopyTo(input[20..]);
        Hmac(_sik, input, _mac);
        if (!CryptographicOperations.FixedTimeEquals(_mac.AsSpan(0, icvLength), p.Slice(8, icvLength)))
        {
            throw new BmcException(BmcErrorKind.AuthenticationFailed, "RAKP 4 integrity check value does not match the session key.");
        }

        IsActive = true;
        return true;
    }

    /// <summary>
    /// Writes an authenticated, encrypted IPMI request inside the session, with the next session
    /// sequence number. Call again for a retransmission (a fresh sequence number and IV).
    /// </summary>
    public int WriteRequest(Span<byte> destination, byte netFn, byte cmd, byte rqSeq, ReadOnlySpan<byte> data)
    {
        EnsureActive();
        Span<byte> message = _scratch.AsSpan(0, IpmiLanMessage.RequestOverhead + data.Length);
        if (IpmiLanMessage.TryWriteRequest(message, netFn, cmd, rqSeq, data) == 0)
        {
            return 0;
        }

        int padded = (message.Length + 1 + AesBlock - 1) / AesBlock * AesBlock;
        int payloadLength = AesBlock + padded;
        int beforeTrailer = RmcpHeader + SessionHeader + payloadLength;
        int pad = (4 - ((SessionHeader + payloadLength + 2) % 4)) % 4;
        int total = beforeTrailer + pad + 2 + _alg.IntegrityTagLength;
        if (destination.Length < total)
        {
            return 0;
        }

        // Confidentiality: IV | AES-CBC(message | 01 02 .. n | n)
        int confPad = padded - message.Length - 1;
        Span<byte> plain = _plain.AsSpan(0, padded);
        message.CopyTo(plain);
        for (int i = 0; i < confPad; i++)
        {
            plain[message.Length + i] = (byte)(i + 1);
        }

        plain[^1] = (byte)confPad;
        Span<byte> iv = destination.Slice(RmcpHeader + SessionHeader, AesBlock);
        _random(iv);
        EncryptCbc(plain, iv, destination.Slice(RmcpHeader + SessionHeader + AesBlock, padded));

        WriteRmcp(destination);
        destination[4] = 0x06;
        destination[5] = 0xC0 | PayloadIpmi;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[6..], BmcSessionId);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[10..], ++_outboundSeq == 0 ? ++_outboundSeq : _outboundSeq);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[14..], (ushort)payloadLength);
        destination.Slice(beforeTrailer, pad).Fill(0xFF);
        destination[beforeTrailer + pad] = (byte)pad;
        destination[beforeTrailer + pad + 1] = 0x07;
        int macEnd = beforeTrailer + pad + 2;
        IntegrityTag(destination[RmcpHeader..macEnd]);
        _mac.AsSpan(0, _alg.IntegrityTagLength).CopyTo(destination[macEnd..]);
        return total;
    }

    /// <summary>
    /// Reads an IPMI response inside the session: checks the session id, the integrity tag, the
    /// replay window, decrypts, and checks the IPMI framing and that it answers
    /// (<paramref name="netFn"/>, <paramref name="cmd"/>, <paramref name="rqSeq"/>). Copies the
    /// data after the completion code to <paramref name="data"/>. Returns false for a datagram of
    /// another session or a late reply to another request.
    /// </summary>
    public bool ReadResponse(ReadOnlySpan<byte> datagram, byte netFn, byte cmd, byte rqSeq, out byte completionCode, Span<byte> data, out int dataLength) =>
        ReadEitherResponse(datagram, netFn, cmd, rqSeq, cmd, rqSeq, out completionCode, data, out dataLength) != 0;

    /// <summary>
    /// As <see cref="ReadResponse"/>, for a datagram that may answer either of two requests of
    /// <paramref name="netFn"/>: (<paramref name="cmd"/>, <paramref name="rqSeq"/>) or an earlier
    /// one (<paramref name="otherCmd"/>, <paramref name="otherRqSeq"/>) whose reply is late.
    /// Returns 1 or 2 for the request answered, 0 for a datagram of another session, a replayed
    /// one or a reply to anything else.
    /// </summary>
    public int ReadEitherResponse(ReadOnlySpan<byte> datagram, byte netFn, byte cmd, byte rqSeq, byte otherCmd, byte otherRqSeq,
        out byte completionCode, Span<byte> data, out int dataLength)
    {
        EnsureActive();
        completionCode = 0;
        dataLength = 0;
        CheckRmcp(datagram);
        if (datagram[4] == 0x00)
        {
            return 0; // IPMI 1.5 session-less: a late reply to Get Channel Authentication Capabilities
        }

        if (datagram.Length < RmcpHeader + SessionHeader || datagram[4] != 0x06)
        {
            throw IpmiLanMessage.Malformed("Reply is not an RMCP+ (IPMI v2.0) session datagram.");
        }

        byte type = datagram[5];
        if ((type & 0x3F) is >= PayloadOpenSessionResponse and <= PayloadRakp4 && ((type & 0xC0) == 0 || (type & 0x3F) == PayloadRakp4))
        {
            return 0; // a late set-up reply (a retransmission was answered twice)
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(datagram[6..]) != ConsoleSessionId)
        {
            return 0;
        }

        if ((type & 0x3F) != PayloadIpmi)
        {
            throw IpmiLanMessage.Malformed($"Session reply carries payload type 0x{type & 0x3F:X2}, expected IPMI.");
        }

        if ((type & 0xC0) != 0xC0)
        {
            throw IpmiLanMessage.Malformed("Session reply is not authenticated and encrypted as negotiated.");
        }

        if (!TryOpenSessionPayload(datagram, out ReadOnlySpan<byte> message))
        {
            return 0;
        }

        int answered = 1;
        if (!IpmiLanMessage.TryParseResponse(message, netFn, cmd, rqSeq, out completionCode, out ReadOnlySpan<byte> body))
        {
            if (!IpmiLanMessage.TryParseResponse(message, netFn, otherCmd, otherRqSeq, out completionCode, out body))
            {
                return 0;
            }

            answered = 2;
        }

        if (body.Length > data.Length)
        {
            throw IpmiLanMessage.Malformed($"Response data of {body.Length} bytes exceeds {data.Length}.");
        }

        body.CopyTo(data);
        dataLength = body.Length;
        return answered;
    }

    /// <summary>
    /// Opens an authenticated datagram of this session (session id already matched or checked
    /// here): checks the trailer and integrity tag, the replay window, and decrypts when the
    /// encrypted bit is set. Returns false for another session's datagram or a replayed one; the
    /// payload lands in <c>_plain</c> (encrypted) or points into <paramref name="datagram"/>.
    /// </summary>
    private bool TryOpenSessionPayload(ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (datagram.Length < RmcpHeader + SessionHeader)
        {
            throw IpmiLanMessage.Malformed($"Session reply of {datagram.Length} bytes is shorter than its {RmcpHeader + SessionHeader}-byte headers.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(datagram[6..]) != ConsoleSessionId)
        {
            return false;
        }

        byte type = datagram[5];
        if ((type & 0x40) == 0)
        {
            throw IpmiLanMessage.Malformed("Session reply is not authenticated.");
        }

        bool encrypted = (type & 0x80) != 0;
        int payloadLength = BinaryPrimitives.ReadUInt16LittleEndian(datagram[14..]);
        int beforeTrailer = RmcpHeader + SessionHeader + payloadLength;
        int tag = _alg.IntegrityTagLength;
        if ((encrypted && (payloadLength < 2 * AesBlock || payloadLength % AesBlock != 0)) || datagram.Length < beforeTrailer + 2 + tag)
        {
            throw IpmiLanMessage.Malformed($"Session reply payload length {payloadLength} does not fit a {datagram.Length}-byte datagram with AES-CBC-128 and a {tag}-byte tag.");
        }

        int macEnd = datagram.Length - tag;
        if (datagram[macEnd - 1] != 0x07 || datagram[macEnd - 2] != macEnd - 2 - beforeTrailer || (macEnd - RmcpHeader) % 4 != 0)
        {
            throw IpmiLanMessage.Malformed("Session reply integrity trailer (pad, pad length, next header) is inconsistent.");
        }

        IntegrityTag(datagram[RmcpHeader..macEnd]);
        if (!CryptographicOperations.FixedTimeEquals(_mac.AsSpan(0, tag), datagram[macEnd..]))
        {
            throw IpmiLanMessage.Malformed("Session reply integrity tag does not match (corrupt or forged datagram).");
        }

        uint seq = BinaryPrimitives.ReadUInt32LittleEndian(datagram[10..]);
        if (!AcceptSequence(seq))
        {
            return false;
        }

        if (!encrypted)
        {
            payload = datagram.Slice(RmcpHeader + SessionHeader, payloadLength);
            return true;
        }

        ReadOnlySpan<byte> iv = datagram.Slice(RmcpHeader + SessionHeader, AesBlock);
        ReadOnlySpan<byte> cipher = datagram.Slice(RmcpHeader + SessionHeader + AesBlock, payloadLength - AesBlock);
        Span<byte> plain = _plain.AsSpan(0, cipher.Length);
        DecryptCbc(cipher, iv);
        int confPad = plain[^1];
        if (confPad >= AesBlock || confPad + 1 > plain.Length)
        {
            throw IpmiLanMessage.Malformed($"Session reply confidentiality pad length {confPad} is invalid.");
        }

        for (int i = 0; i < confPad; i++)
        {
            if (plain[plain.Length - 1 - confPad + i] != i + 1)
            {
                throw IpmiLanMessage.Malformed("Session reply confidentiality pad bytes are wrong.");
            }
        }

        payload = plain[..^(confPad + 1)];
        return true;
    }

    /// <summary>Clears keys and the password copy.</summary>
    public void Dispose()
    {
        Reset();
        CryptographicOperations.ZeroMemory(_kuid);
        CryptographicOperations.ZeroMemory(_plain);
        CryptographicOperations.ZeroMemory(_scratch);
    }

    /// <summary>Turns a non-zero completion code into a <see cref="BmcException"/>.</summary>
    internal static void ThrowOnCompletionCode(byte cc, string command)
    {
        if (cc != 0)
        {
            throw new BmcException(BmcErrorKind.CompletionCode,
                $"{command} failed with completion code 0x{cc:X2} ({IpmiLanMessage.DescribeCompletionCode(cc)}).");
        }
    }

    /// <summary>Describes an RMCP+ status code (IPMI v2.0 table 13-15).</summary>
    public static string DescribeStatus(byte status) => status switch
    {
        0x01 => "insufficient resources to create a session",
        0x02 => "invalid session id",
        0x03 => "invalid payload type",
        0x04 => "invalid authentication algorithm",
        0x05 => "invalid integrity algorithm",
        0x06 => "no matching authentication payload",
        0x07 => "no matching integrity payload",
        0x08 => "inactive session id",
        0x09 => "invalid role",
        0x0A => "unauthorized role or privilege level requested",
        0x0B => "insufficient resources to create a session at the requested role",
        0x0C => "invalid name length",
        0x0D => "unauthorized name",
        0x0E => "unauthorized GUID",
        0x0F => "invalid integrity check value",
        0x10 => "invalid confidentiality algorithm",
        0x11 => "no cipher suite match with proposed security algorithms",
        0x12 => "illegal or unrecognized parameter",
        _ => "reserved status code",
    };

    private static BmcException StatusError(string step, byte status)
    {
        BmcErrorKind kind = status switch
        {
            0x04 or 0x05 or 0x06 or 0x07 or 0x10 or 0x11 => BmcErrorKind.UnsupportedCipherSuite,
            0x09 or 0x0A or 0x0C or 0x0D or 0x0E or 0x0F => BmcErrorKind.AuthenticationFailed,
            0x02 or 0x08 => BmcErrorKind.SessionClosed,
            _ => BmcErrorKind.CompletionCode,
        };
        return new BmcException(kind, $"{step} refused by the BMC with status 0x{status:X2} ({DescribeStatus(status)}).");
    }

    private bool AcceptSequence(uint seq)
    {
        if (seq == 0)
        {
            throw IpmiLanMessage.Malformed("Authenticated session reply carries sequence number 0.");
        }

        if (seq > _inboundHighest)
        {
            uint shift = seq - _inboundHighest;
            _inboundSeen = shift >= ReplayWindow ? 1u : (_inboundSeen << (int)shift) | 1u;
            _inboundHighest = seq;
            return true;
        }

        uint behind = _inboundHighest - seq;
        if (behind >= ReplayWindow || (_inboundSeen & (1u << (int)behind)) != 0)
        {
            return false; // replayed or too old
        }

        _inboundSeen |= 1u << (int)behind;
        return true;
    }

    /// <summary>
    /// Steady state allocates nothing: the AES block transforms and the K1 HMAC are made once per
    /// session; CBC chaining is done here over the ECB block cipher (the one-shot CBC APIs allocate).
    /// </summary>
    private void CreateSessionCrypto()
    {
        DisposeSessionCrypto();
        _aes = Aes.Create();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _aes.Key = _k2.AsSpan(0, 16).ToArray();
        _encryptor = _aes.CreateEncryptor();
        _decryptor = _aes.CreateDecryptor();
        _integrity = IncrementalHash.CreateHMAC(_alg.HashLength == 20 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256, _k1);
    }

    private void DisposeSessionCrypto()
    {
        _encryptor?.Dispose();
        _decryptor?.Dispose();
        _integrity?.Dispose();
        _aes?.Dispose();
        _encryptor = null;
        _decryptor = null;
        _integrity = null;
        _aes = null;
    }

    private void IntegrityTag(ReadOnlySpan<byte> covered)
    {
        _integrity!.AppendData(covered);
        _integrity.GetHashAndReset(_mac);
    }

    /// <summary>C_i = E(P_i xor C_(i-1)), C_0 = IV.</summary>
    private void EncryptCbc(ReadOnlySpan<byte> plain, ReadOnlySpan<byte> iv, Span<byte> destination)
    {
        ReadOnlySpan<byte> previous = iv;
        for (int offset = 0; offset < plain.Length; offset += AesBlock)
        {
            for (int i = 0; i < AesBlock; i++)
            {
                _block[i] = (byte)(plain[offset + i] ^ previous[i]);
            }

            _encryptor!.TransformBlock(_block, 0, AesBlock, _block, 0);
            _block.CopyTo(destination[offset..]);
            previous = destination.Slice(offset, AesBlock);
        }
    }

    /// <summary>P_i = D(C_i) xor C_(i-1), C_0 = IV; the plain text lands in <c>_plain</c>.</summary>
    private void DecryptCbc(ReadOnlySpan<byte> cipher, ReadOnlySpan<byte> iv)
    {
        cipher.CopyTo(_scratch);
        _decryptor!.TransformBlock(_scratch, 0, cipher.Length, _plain, 0);
        for (int i = 0; i < AesBlock; i++)
        {
            _plain[i] ^= iv[i];
        }

        for (int i = AesBlock; i < cipher.Length; i++)
        {
            _plain[i] ^= cipher[i - AesBlock];
        }
    }

    private void EnsureActive()
    {
        if (!IsActive)
        {
            throw new BmcException(BmcErrorKind.SessionClosed, "No active RMCP+ session.");
        }
    }

    private void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (_alg.HashLength == 20)
        {
            HMACSHA1.HashData(key, source, destination);
        }
        else
        {
            HMACSHA256.HashData(key, source, destination);
        }
    }

    private static void WriteAlgorithm(Span<byte> destination, byte payloadType, byte algorithm)
    {
        destination[..8].Clear();
        destination[0] = payloadType;
        destination[3] = 0x08;
        destination[4] = algorithm;
    }

    private static void WriteRmcp(Span<byte> destination)
    {
        destination[0] = 0x06;
        destination[1] = 0x00;
        destination[2] = 0xFF;
        destination[3] = 0x07;
    }

    private static void CheckRmcp(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < 5 || datagram[0] != 0x06 || datagram[2] != 0xFF || datagram[3] != 0x07)
        {
            throw IpmiLanMessage.Malformed($"Reply of {datagram.Length} bytes is not an RMCP IPMI-class datagram.");
        }
    }

    private static int WriteUnauthenticated(Span<byte> destination, byte payloadType, ReadOnlySpan<byte> payload)
    {
        int total = RmcpHeader + SessionHeader + payload.Length;
        if (destination.Length < total)
        {
            return 0;
        }

        WriteRmcp(destination);
        destination[4] = 0x06;
        destination[5] = payloadType;
        destination.Slice(6, 8).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(destination[14..], (ushort)payload.Length);
        payload.CopyTo(destination[16..]);
        return total;
    }

    private static bool TryReadUnauthenticated(ReadOnlySpan<byte> datagram, byte expectedType, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        CheckRmcp(datagram);
        if (datagram.Length < RmcpHeader + SessionHeader || datagram[4] != 0x06)
        {
            throw IpmiLanMessage.Malformed("Reply is not an RMCP+ (IPMI v2.0) datagram.");
        }

        if ((datagram[5] & 0x3F) != expectedType)
        {
            return false;
        }

        if ((datagram[5] & 0xC0) != 0 || BinaryPrimitives.ReadUInt32LittleEndian(datagram[6..]) != 0)
        {
            throw IpmiLanMessage.Malformed($"Session set-up reply (payload type 0x{expectedType:X2}) must be outside any session.");
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(datagram[14..]);
        if (datagram.Length < RmcpHeader + SessionHeader + length)
        {
            throw IpmiLanMessage.Malformed($"RMCP+ payload length {length} exceeds the {datagram.Length}-byte datagram.");
        }

        payload = datagram.Slice(RmcpHeader + SessionHeader, length);
        return true;
    }
}
