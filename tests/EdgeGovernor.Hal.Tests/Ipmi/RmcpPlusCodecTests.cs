using System.Buffers.Binary;
using System.Text;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>Byte-vector tests of the sans-IO RMCP+ codec against <see cref="BmcSide"/>.</summary>
public sealed class RmcpPlusCodecTests
{
    private const string User = "admin";
    private const string Password = "s3cret";

    /// <summary>Deterministic "random": 01 02 03 ... counting on across calls.</summary>
    private static IpmiRandomSource Counting()
    {
        byte next = 1;
        return span =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = next++;
            }
        };
    }

    private static RmcpPlusCodec NewCodec(IpmiCipherSuite suite = IpmiCipherSuite.Suite3, string password = Password) =>
        new(suite, Encoding.ASCII.GetBytes(User), Encoding.ASCII.GetBytes(password), IpmiPrivilege.Administrator, Counting());

    private static byte[] Write(Func<byte[], int> write)
    {
        byte[] buffer = new byte[RmcpPlusCodec.MaxDatagram];
        int n = write(buffer);
        Assert.True(n > 0);
        return buffer[..n];
    }

    /// <summary>Runs Open Session and RAKP 1-4 between the codec and the spec-side BMC.</summary>
    private static (RmcpPlusCodec Codec, BmcSide Bmc) Handshake(IpmiCipherSuite suite = IpmiCipherSuite.Suite3)
    {
        RmcpPlusCodec codec = NewCodec(suite);
        BmcSide bmc = new(suite, User, Password);
        Assert.True(codec.ReadOpenSessionResponse(bmc.OpenSessionResponse(Write(b => codec.WriteOpenSessionRequest(b, 7))), 7));
        Assert.True(codec.ReadRakp2(bmc.Rakp2(Write(b => codec.WriteRakp1(b, 7))), 7));
        byte[] rakp3 = BmcSide.PayloadOf(Write(b => codec.WriteRakp3(b, 7)));
        Assert.Equal(bmc.ExpectedRakp3Code(), rakp3[8..]);
        Assert.True(codec.ReadRakp4(bmc.Rakp4(7), 7));
        Assert.True(codec.IsActive);
        return (codec, bmc);
    }

    [Fact]
    public void Get_channel_authentication_capabilities_request_is_the_known_byte_vector()
    {
        byte[] datagram = Write(b => RmcpPlusCodec.WriteGetChannelAuthCapabilities(b, IpmiPrivilege.Administrator));

        Assert.Equal(Convert.FromHexString("0600FF07" + "00" + "00000000" + "00000000" + "09" + "2018C8" + "810038" + "8E04" + "B5"), datagram);
    }

    [Fact]
    public void Get_channel_authentication_capabilities_reply_requires_ipmi_v2()
    {
        // 1.5 framing; data: channel 1, auth types 0x97 (bit 7: v2 extended), 0x04, ext caps 0x02 (IPMI 2.0), OEM 000000, 00
        byte[] message = BmcSide.ResponseMessage(0x06, 0x38, 0, 0x00, 0x01, 0x97, 0x04, 0x02, 0, 0, 0, 0);
        byte[] datagram = [0x06, 0x00, 0xFF, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, (byte)message.Length, .. message];
        Assert.True(RmcpPlusCodec.ReadGetChannelAuthCapabilities(datagram));

        byte[] v15 = BmcSide.ResponseMessage(0x06, 0x38, 0, 0x00, 0x01, 0x17, 0x04, 0x00, 0, 0, 0, 0);
        byte[] old = [0x06, 0x00, 0xFF, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, (byte)v15.Length, .. v15];
        Assert.Equal(BmcErrorKind.UnsupportedCipherSuite, Assert.Throws<BmcException>(() => RmcpPlusCodec.ReadGetChannelAuthCapabilities(old)).Kind);

        datagram[^1] ^= 0x01; // data checksum
        Assert.Equal(BmcErrorKind.MalformedReply, Assert.Throws<BmcException>(() => RmcpPlusCodec.ReadGetChannelAuthCapabilities(datagram)).Kind);
    }

    [Fact]
    public void Open_session_request_proposes_cipher_suite_3()
    {
        using RmcpPlusCodec codec = NewCodec();
        Assert.Equal(0x04030201u, codec.ConsoleSessionId); // first four random bytes

        byte[] datagram = Write(b => codec.WriteOpenSessionRequest(b, 0x2A));

        Assert.Equal(Convert.FromHexString(
            "0600FF07" + "06" + "10" + "00000000" + "00000000" + "2000"
            + "2A" + "04" + "0000" + "01020304"
            + "0000000801000000" + "0100000801000000" + "0200000801000000"), datagram);
    }

    [Fact]
    public void Open_session_request_for_suite_17_proposes_sha256_algorithms()
    {
        using RmcpPlusCodec codec = NewCodec(IpmiCipherSuite.Suite17);
        byte[] p = BmcSide.PayloadOf(Write(b => codec.WriteOpenSessionRequest(b, 1)));
        Assert.Equal(0x03, p[12]);
        Assert.Equal(0x04, p[20]);
        Assert.Equal(0x01, p[28]);
    }

    [Fact]
    public void Rakp1_carries_bmc_session_id_console_random_role_and_user_name()
    {
        using RmcpPlusCodec codec = NewCodec();
        BmcSide bmc = new(IpmiCipherSuite.Suite3, User, Password);
        codec.ReadOpenSessionResponse(bmc.OpenSessionResponse(Write(b => codec.WriteOpenSessionRequest(b, 3))), 3);

        byte[] p = BmcSide.PayloadOf(Write(b => codec.WriteRakp1(b, 3)));

        Assert.Equal(Convert.FromHexString("03000000" + "44332211" + "05060708090A0B0C0D0E0F1011121314" + "14" + "0000" + "05" + "61646D696E"), p);
    }

    [Theory]
    [InlineData(IpmiCipherSuite.Suite3)]
    [InlineData(IpmiCipherSuite.Suite17)]
    public void Handshake_then_request_and_response_round_trip(IpmiCipherSuite suite)
    {
        (RmcpPlusCodec codec, BmcSide bmc) = Handshake(suite);
        using (codec)
        {
            byte[] request = Write(b => codec.WriteRequest(b, 0x00, 0x01, 5, []));
            Assert.Equal(Convert.FromHexString("2000E0811401" + "6A"), bmc.OpenRequest(request));
            Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(10)));
            Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(Write(b => codec.WriteRequest(b, 0x00, 0x01, 5, [])).AsSpan(10)));

            byte[] reply = bmc.SessionDatagram(BmcSide.ResponseMessage(0x00, 0x01, 5, 0x00, 0x21, 0x10, 0x40));
            byte[] data = new byte[16];
            Assert.True(codec.ReadResponse(reply, 0x00, 0x01, 5, out byte cc, data, out int length));
            Assert.Equal(0, cc);
            Assert.Equal(new byte[] { 0x21, 0x10, 0x40 }, data[..length]);

            // The same datagram again is a replay: ignored, not accepted twice.
            Assert.False(codec.ReadResponse(reply, 0x00, 0x01, 5, out _, data, out _));
        }
    }

    [Fact]
    public void Wrong_password_fails_rakp2_verification()
    {
        using RmcpPlusCodec codec = NewCodec(password: "other");
        BmcSide bmc = new(IpmiCipherSuite.Suite3, User, Password);
        codec.ReadOpenSessionResponse(bmc.OpenSessionResponse(Write(b => codec.WriteOpenSessionRequest(b, 1))), 1);

        BmcException e = Assert.Throws<BmcException>(() => codec.ReadRakp2(bmc.Rakp2(Write(b => codec.WriteRakp1(b, 1))), 1));

        Assert.Equal(BmcErrorKind.AuthenticationFailed, e.Kind);
        Assert.False(codec.IsActive);
    }

    [Fact]
    public void Tampered_rakp4_is_an_authentication_failure()
    {
        using RmcpPlusCodec codec = NewCodec();
        BmcSide bmc = new(IpmiCipherSuite.Suite3, User, Password);
        codec.ReadOpenSessionResponse(bmc.OpenSessionResponse(Write(b => codec.WriteOpenSessionRequest(b, 1))), 1);
        codec.ReadRakp2(bmc.Rakp2(Write(b => codec.WriteRakp1(b, 1))), 1);
        byte[] rakp4 = bmc.Rakp4(1);
        rakp4[^1] ^= 0x80;

        Assert.Equal(BmcErrorKind.AuthenticationFailed, Assert.Throws<BmcException>(() => codec.ReadRakp4(rakp4, 1)).Kind);
        Assert.False(codec.IsActive);
    }

    [Theory]
    [InlineData(0x04, BmcErrorKind.UnsupportedCipherSuite)]
    [InlineData(0x11, BmcErrorKind.UnsupportedCipherSuite)]
    [InlineData(0x0D, BmcErrorKind.AuthenticationFailed)]
    [InlineData(0x01, BmcErrorKind.CompletionCode)]
    public void Open_session_status_codes_map_to_error_kinds(byte status, BmcErrorKind kind)
    {
        using RmcpPlusCodec codec = NewCodec();
        byte[] reply = BmcSide.Unauthenticated(0x11, [9, status, 0, 0, 0, 0, 0, 0]);

        BmcException e = Assert.Throws<BmcException>(() => codec.ReadOpenSessionResponse(reply, 9));

        Assert.Equal(kind, e.Kind);
        Assert.Contains($"0x{status:X2}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replies_of_other_exchanges_are_ignored_not_errors()
    {
        (RmcpPlusCodec codec, BmcSide bmc) = Handshake();
        using (codec)
        {
            byte[] data = new byte[16];
            // Another request's sequence number, another command, another session.
            Assert.False(codec.ReadResponse(bmc.SessionDatagram(BmcSide.ResponseMessage(0x00, 0x01, 4, 0)), 0x00, 0x01, 5, out _, data, out _));
            Assert.False(codec.ReadResponse(bmc.SessionDatagram(BmcSide.ResponseMessage(0x00, 0x02, 5, 0)), 0x00, 0x01, 5, out _, data, out _));
            byte[] foreign = bmc.SessionDatagram(BmcSide.ResponseMessage(0x00, 0x01, 5, 0));
            foreign[6] ^= 0xFF;
            Assert.False(codec.ReadResponse(foreign, 0x00, 0x01, 5, out _, data, out _));
            Assert.False(codec.ReadOpenSessionResponse(BmcSide.Unauthenticated(0x11, [8, 0]), 9)); // other tag
        }
    }

    [Fact]
    public void Every_single_bit_flip_of_a_valid_reply_is_rejected()
    {
        (RmcpPlusCodec codec, BmcSide bmc) = Handshake();
        using (codec)
        {
            byte[] data = new byte[32];
            for (int bit = 0; bit < 8 * 60; bit++)
            {
                byte[] reply = bmc.SessionDatagram(BmcSide.ResponseMessage(0x00, 0x01, 5, 0x00, 0x01, 0x00, 0x00));
                if (bit / 8 >= reply.Length)
                {
                    break;
                }

                if (bit / 8 == 1)
                {
                    continue; // the RMCP header's reserved byte carries nothing and is not covered by the tag
                }

                reply[bit / 8] ^= (byte)(1 << (bit % 8));
                bool accepted;
                try
                {
                    accepted = codec.ReadResponse(reply, 0x00, 0x01, 5, out _, data, out _);
                }
                catch (BmcException e)
                {
                    Assert.Equal(BmcErrorKind.MalformedReply, e.Kind);
                    accepted = false;
                }

                Assert.False(accepted, $"bit {bit} flipped was accepted");
            }
        }
    }

    [Fact]
    public void Random_datagrams_only_ever_give_bmc_exceptions_or_are_ignored()
    {
        (RmcpPlusCodec codec, BmcSide bmc) = Handshake();
        using (codec)
        {
            Random random = new(20261122);
            byte[] valid = bmc.SessionDatagram(BmcSide.ResponseMessage(0x00, 0x01, 5, 0x00, 0x01, 0x00, 0x00));
            byte[] data = new byte[32];
            for (int i = 0; i < 20_000; i++)
            {
                byte[] datagram = i % 2 == 0 ? new byte[random.Next(0, 120)] : valid[..random.Next(0, valid.Length + 1)];
                if (i % 2 == 0)
                {
                    random.NextBytes(datagram);
                    if (datagram.Length > 5 && i % 4 == 0)
                    {
                        valid.AsSpan(0, 6).CopyTo(datagram); // get past the RMCP header more often
                    }
                }

                bool accepted;
                try
                {
                    accepted = codec.ReadResponse(datagram, 0x00, 0x01, 5, out _, data, out _)
                        | codec.ReadOpenSessionResponse(datagram, 1) | RmcpPlusCodec.ReadGetChannelAuthCapabilities(datagram);
                }
                catch (BmcException)
                {
                    accepted = false;
                }

                Assert.False(accepted && datagram.Length < valid.Length);
            }
        }
    }

    [Fact]
    public void Requests_need_an_active_session()
    {
        using RmcpPlusCodec codec = NewCodec();
        Assert.Equal(BmcErrorKind.SessionClosed, Assert.Throws<BmcException>(() => codec.WriteRequest(new byte[512], 0, 1, 1, [])).Kind);
    }

    [Fact]
    public void Over_long_credentials_are_refused()
    {
        Assert.Equal(BmcErrorKind.InvalidArgument, Assert.Throws<BmcException>(() =>
            new RmcpPlusCodec(IpmiCipherSuite.Suite3, new byte[17], [], IpmiPrivilege.User)).Kind);
        Assert.Equal(BmcErrorKind.InvalidArgument, Assert.Throws<BmcException>(() =>
            new RmcpPlusCodec(IpmiCipherSuite.Suite3, [], new byte[21], IpmiPrivilege.User)).Kind);
        Assert.Equal(BmcErrorKind.UnsupportedCipherSuite, Assert.Throws<BmcException>(() =>
            new RmcpPlusCodec((IpmiCipherSuite)1, [], [], IpmiPrivilege.User)).Kind);
    }

    [Fact]
    public void Steady_state_request_and_response_allocate_nothing()
    {
        (RmcpPlusCodec codec, BmcSide bmc) = Handshake();
        using (codec)
        {
            byte[] tx = new byte[RmcpPlusCodec.MaxDatagram];
            byte[] data = new byte[32];
            byte[][] replies = Enumerable.Range(0, 200).Select(_ => bmc.SessionDatagram(BmcSide.ResponseMessage(0x00, 0x01, 5, 0x00, 0x01, 0x00, 0x00))).ToArray();
            codec.WriteRequest(tx, 0x00, 0x01, 5, []); // warm up
            codec.ReadResponse(replies[0], 0x00, 0x01, 5, out _, data, out _);

            // Replies 1 to 199 in three windows of 66 (each reply's sequence number is accepted once).
            AllocationAssert.NothingInSteadyState("66 request/response pairs", w =>
            {
                for (int i = 1 + (66 * w); i < 1 + (66 * (w + 1)); i++)
                {
                    codec.WriteRequest(tx, 0x00, 0x01, 5, []);
                    codec.ReadResponse(replies[i], 0x00, 0x01, 5, out _, data, out _);
                }
            });
        }
    }
}
