using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// BMC replies through the RMCP+ codec (<see cref="RmcpPlusCodec"/>) and the IPMI / DCMI payload parsers
/// (<see cref="IpmiCommands"/>), as <see cref="IpmiBmc"/> reads them. A reply the codec refuses is a
/// <see cref="BmcException"/>, the documented result; anything else escaping is a finding.
/// <code>
/// input:   control (1) | rest
/// control: bits 0-2 mode, bit 7 cipher suite 17 instead of 3
/// mode 0   rest is a Get Channel Authentication Capabilities reply (session-less, IPMI 1.5 framing)
///      1   rest is the Open Session Response to a fresh codec's request (tag 1)
///      2   rest is RAKP 2 after a good Open Session (tag 2)
///      3   rest is RAKP 4 after a good RAKP 2 (tag 3)
///      4   rest is a whole session datagram, to the established session
///      5   rest = pending (1) | IPMI response message, its two checksums set by the harness, sealed into the session
///      6   rest = pending (1) | IPMI response message as is, sealed into the session
///      7   rest = pending (1) | plaintext as is (confidentiality pad included), zero-filled to whole AES blocks, sealed
/// pending: which request the reply must answer (% 8): Get Chassis Status, Chassis Control, DCMI Get Power Reading,
///          Get / Set / Activate Power Limit, Set Session Privilege, Close Session; rqSeq 5
/// </code>
/// The established sessions (one per suite) are set up with the harness's BMC end on the first input that needs them.
/// </summary>
internal sealed class IpmiTarget : IFuzzTarget
{
    private const byte RqSeq = 5;
    private static readonly (byte NetFn, byte Cmd)[] Pending =
    [
        (IpmiCommands.NetFnChassis, IpmiCommands.GetChassisStatus),
        (IpmiCommands.NetFnChassis, IpmiCommands.ChassisControl),
        (IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiGetPowerReading),
        (IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiGetPowerLimit),
        (IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiSetPowerLimit),
        (IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiActivatePowerLimit),
        (IpmiCommands.NetFnApp, IpmiCommands.SetSessionPrivilege),
        (IpmiCommands.NetFnApp, IpmiCommands.CloseSession),
    ];

    private readonly byte[] _response = new byte[256];
    private readonly IpmiBmcSide?[] _sides = new IpmiBmcSide?[2];
    private readonly RmcpPlusCodec?[] _sessions = new RmcpPlusCodec?[2];

    public string Name => "ipmi";

    public string Description => "IPMI/RMCP+ replies: session set-up, in-session datagrams, IPMI and DCMI payloads";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return;
        }
        int mode = input[0] & 7;
        int suite = input[0] >> 7;
        ReadOnlySpan<byte> rest = input[1..];
        IpmiBmcSide side = _sides[suite] ??= new IpmiBmcSide(suite == 0 ? IpmiCipherSuite.Suite3 : IpmiCipherSuite.Suite17);
        try
        {
            switch (mode)
            {
                case 0:
                    RmcpPlusCodec.ReadGetChannelAuthCapabilities(rest);
                    break;
                case 1 or 2 or 3:
                    SetUp(new IpmiBmcSide(side.Suite), mode, rest);
                    break;
                case 4:
                    Respond(Session(suite), rest, 0);
                    break;
                default:
                    Respond(Session(suite), side.Seal(Plaintext(mode, rest[1..])), rest[0]);
                    break;
            }
        }
        catch (BmcException)
        {
        }
    }

    // Session set-up replies to a fresh codec brought to the step before.
    private static void SetUp(IpmiBmcSide side, int mode, ReadOnlySpan<byte> reply)
    {
        using RmcpPlusCodec codec = side.NewCodec();
        Span<byte> request = stackalloc byte[RmcpPlusCodec.MaxDatagram];
        if (mode == 1)
        {
            codec.WriteOpenSessionRequest(request, 1);
            codec.ReadOpenSessionResponse(reply, 1);
            return;
        }
        side.Handshake(codec, mode - 1);
        if (mode == 2)
        {
            codec.WriteRakp1(request, 2);
            codec.ReadRakp2(reply, 2);
        }
        else
        {
            codec.WriteRakp3(request, 3);
            codec.ReadRakp4(reply, 3);
        }
    }

    private RmcpPlusCodec Session(int suite)
    {
        if (_sessions[suite] is { } session)
        {
            return session;
        }
        IpmiBmcSide side = _sides[suite]!;
        RmcpPlusCodec codec = side.NewCodec();
        side.Handshake(codec);
        return _sessions[suite] = codec;
    }

    // The plaintext the harness seals: modes 5 and 6 add the confidentiality pad, mode 5 also sets the checksums.
    private static byte[] Plaintext(int mode, ReadOnlySpan<byte> rest)
    {
        if (mode == 7)
        {
            byte[] raw = new byte[Math.Max(16, (rest.Length + 15) / 16 * 16)];
            rest.CopyTo(raw);
            return raw;
        }
        int padded = (rest.Length + 1 + 15) / 16 * 16;
        byte[] plain = new byte[padded];
        rest.CopyTo(plain);
        if (mode == 5 && rest.Length >= IpmiLanMessage.MinimumResponseLength)
        {
            plain[2] = IpmiLanMessage.Checksum(plain.AsSpan(0, 2));
            plain[rest.Length - 1] = IpmiLanMessage.Checksum(plain.AsSpan(3, rest.Length - 4));
        }
        int confPad = padded - rest.Length - 1;
        for (int i = 0; i < confPad; i++)
        {
            plain[rest.Length + i] = (byte)(i + 1);
        }
        plain[^1] = (byte)confPad;
        return plain;
    }

    // What IpmiBmc does with a reply to the pending request.
    private void Respond(RmcpPlusCodec session, ReadOnlySpan<byte> datagram, byte pending)
    {
        (byte netFn, byte cmd) = Pending[pending % Pending.Length];
        if (!session.ReadResponse(datagram, netFn, cmd, RqSeq, out byte cc, _response, out int length))
        {
            return;
        }
        ReadOnlySpan<byte> data = _response.AsSpan(0, length);
        switch (pending % Pending.Length)
        {
            case 0:
                RmcpPlusCodec.ThrowOnCompletionCode(cc, "Get Chassis Status");
                IpmiCommands.ParseChassisStatus(data);
                break;
            case 2:
                RmcpPlusCodec.ThrowOnCompletionCode(cc, "DCMI Get Power Reading");
                IpmiCommands.ParsePowerReading(data);
                break;
            case 3:
                if (cc != IpmiCommands.NoActivePowerLimit)
                {
                    RmcpPlusCodec.ThrowOnCompletionCode(cc, "DCMI Get Power Limit");
                    IpmiCommands.ParsePowerLimit(data);
                }
                break;
            case 4 or 5:
                RmcpPlusCodec.ThrowOnCompletionCode(cc, "DCMI power limit");
                IpmiCommands.CheckDcmiAck(data, "DCMI power limit");
                break;
            default:
                RmcpPlusCodec.ThrowOnCompletionCode(cc, "IPMI command");
                break;
        }
        IpmiCommands.DescribeDcmiCompletionCode(cc);
    }

    public IEnumerable<byte[]> Seeds()
    {
        // Session-less: Get Channel Authentication Capabilities (channel 1, IPMI v2.0 extended).
        yield return [0, .. Datagram15(Message(0x06, 0x38, 0, [0x00, 0x01, 0x97, 0x04, 0x02, 0, 0, 0, 0]))];
        foreach (IpmiCipherSuite suite in new[] { IpmiCipherSuite.Suite3, IpmiCipherSuite.Suite17 })
        {
            byte high = suite == IpmiCipherSuite.Suite3 ? (byte)0 : (byte)0x80;
            // The good set-up replies, recorded from the harness's BMC end.
            var side = new IpmiBmcSide(suite);
            using (RmcpPlusCodec codec = side.NewCodec())
            {
                byte[] d = new byte[RmcpPlusCodec.MaxDatagram];
                int n = codec.WriteOpenSessionRequest(d, 1);
                yield return [(byte)(high | 1), .. side.OpenSessionResponse(d.AsSpan(0, n))];
            }
            using (RmcpPlusCodec codec = side.NewCodec())
            {
                side.Handshake(codec, 1);
                byte[] d = new byte[RmcpPlusCodec.MaxDatagram];
                int n = codec.WriteRakp1(d, 2);
                yield return [(byte)(high | 2), .. side.Rakp2(d.AsSpan(0, n))];
            }
            using (RmcpPlusCodec codec = side.NewCodec())
            {
                side.Handshake(codec, 2);
                yield return [(byte)(high | 3), .. side.Rakp4(3)];
            }
            if (suite == IpmiCipherSuite.Suite17)
            {
                continue;
            }
            // A whole session datagram as the harness's session (same keys in every process) receives it first.
            using (RmcpPlusCodec codec = side.NewCodec())
            {
                side.Handshake(codec);
                yield return [4, .. side.Seal(Plaintext(5, Message(0x00, 0x01, RqSeq, [0x00, 0x01, 0x00, 0x00, 0x00])))];
            }
            // In-session replies to every pending request (mode 5: the harness sets the checksums).
            yield return [5, 0, .. Message(0x00, 0x01, RqSeq, [0x00, 0x01, 0x00, 0x40, 0x00])];
            yield return [5, 1, .. Message(0x00, 0x02, RqSeq, [0x00])];
            yield return [5, 2, .. Message(0x2C, 0x02, RqSeq, [0x00, 0xDC, 0x2C, 0x01, 0x90, 0x00, 0xF4, 0x01, 0x40, 0x01, 0x5F, 0x3C, 0x76, 0x67, 0xE8, 0x03, 0x00, 0x00, 0x40])];
            yield return [5, 3, .. Message(0x2C, 0x03, RqSeq, [0x00, 0xDC, 0x00, 0x00, 0x01, 0xF4, 0x01, 0xE8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00])];
            yield return [5, 3, .. Message(0x2C, 0x03, RqSeq, [0x80, 0xDC])];
            yield return [6, 4, .. Message(0x2C, 0x04, RqSeq, [0x00, 0xDC])];
            yield return [6, 5, .. Message(0x2C, 0x05, RqSeq, [0x84, 0xDC])];
            yield return [7, 6, .. Message(0x06, 0x3B, RqSeq, [0x00, 0x04]), 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x06];
        }
    }

    // An IPMI response message to the console, checksums set.
    private static byte[] Message(byte netFn, byte cmd, byte rqSeq, byte[] completionAndData)
    {
        byte[] m = [0x81, (byte)((netFn | 1) << 2), 0, 0x20, (byte)(rqSeq << 2), cmd, .. completionAndData, 0];
        m[2] = IpmiLanMessage.Checksum(m.AsSpan(0, 2));
        m[^1] = IpmiLanMessage.Checksum(m.AsSpan(3, m.Length - 4));
        return m;
    }

    private static byte[] Datagram15(byte[] message) => [0x06, 0x00, 0xFF, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, (byte)message.Length, .. message];
}
