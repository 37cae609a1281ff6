using System.Net;
using System.Net.Sockets;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>BMCs that do not answer or answer garbage: a clear <see cref="BmcException"/>, never a hang.</summary>
public sealed class IpmiFaultTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static IpmiBmcOptions Options(IPEndPoint endPoint) =>
        new(endPoint, new IpmiCredentials("admin", "pw"))
        {
            Timeout = TimeSpan.FromMilliseconds(250),
            Retries = 1,
        };

    /// <summary>Answers every datagram it receives with <c>reply(request)</c> (null: stay silent), until disposed.</summary>
    private sealed class FakeBmc : IDisposable
    {
        private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public FakeBmc(Func<byte[], byte[]?> reply)
        {
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    UdpReceiveResult r;
                    try
                    {
                        r = await _udp.ReceiveAsync(_stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _received);
                    if (reply(r.Buffer) is { } answer)
                    {
                        await _udp.SendAsync(answer, r.RemoteEndPoint);
                    }
                }
            });
        }

        private int _received;

        public int Received => Volatile.Read(ref _received);

        public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait(HangGuard);
            _udp.Dispose();
            _stop.Dispose();
        }
    }

    private static async Task<BmcException> FailsWith(BmcErrorKind kind, IPEndPoint endPoint)
    {
        await using IpmiBmc bmc = new(Options(endPoint));
        BmcException e = await Assert.ThrowsAsync<BmcException>(async () => await bmc.GetChassisStatusAsync().AsTask().WaitAsync(HangGuard));
        Assert.Equal(kind, e.Kind);
        Assert.False(bmc.HasSession);
        return e;
    }

    [Fact]
    public async Task A_bmc_that_never_answers_times_out_after_the_retries()
    {
        using FakeBmc silent = new(_ => null);

        BmcException e = await FailsWith(BmcErrorKind.Timeout, silent.EndPoint);

        Assert.Contains("no reply", e.Message, StringComparison.Ordinal);
        Assert.Contains("2 attempt(s) of at most 250 ms", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, silent.Received);
    }

    [Fact]
    public async Task Garbage_replies_are_a_malformed_reply_error()
    {
        using FakeBmc garbage = new(_ => "hello, not IPMI"u8.ToArray());

        BmcException e = await FailsWith(BmcErrorKind.MalformedReply, garbage.EndPoint);

        Assert.Contains("Get Channel Authentication Capabilities", e.Message, StringComparison.Ordinal);
        Assert.Contains("not an RMCP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_with_a_bad_checksum_is_a_malformed_reply_error()
    {
        using FakeBmc bad = new(_ =>
        {
            byte[] message = BmcSide.ResponseMessage(0x06, 0x38, 0, 0x00, 0x01, 0x97, 0x04, 0x02, 0, 0, 0, 0);
            message[^1] ^= 0x5A;
            return [0x06, 0x00, 0xFF, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, (byte)message.Length, .. message];
        });

        BmcException e = await FailsWith(BmcErrorKind.MalformedReply, bad.EndPoint);

        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_open_session_response_is_a_malformed_reply_error()
    {
        byte[] capabilities = BmcSide.ResponseMessage(0x06, 0x38, 0, 0x00, 0x01, 0x97, 0x04, 0x02, 0, 0, 0, 0);
        using FakeBmc bmc = new(request => request[4] == 0x00
            ? [0x06, 0x00, 0xFF, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, (byte)capabilities.Length, .. capabilities]
            : [0x06, 0x00, 0xFF, 0x07, 0x06, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 36, 0, request[16], 0x00, 0x04]); // claims 36 bytes, has 3

        BmcException e = await FailsWith(BmcErrorKind.MalformedReply, bmc.EndPoint);

        Assert.Contains("Open Session", e.Message, StringComparison.Ordinal);
        Assert.Contains("exceeds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_ends_a_pending_command_promptly()
    {
        using FakeBmc silent = new(_ => null);
        await using IpmiBmc bmc = new(Options(silent.EndPoint) with { Timeout = TimeSpan.FromSeconds(30), Retries = 3 });
        using CancellationTokenSource cts = new(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await bmc.GetChassisStatusAsync(cts.Token).AsTask().WaitAsync(HangGuard));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_any_datagram_is_sent()
    {
        using FakeBmc silent = new(_ => null);
        await using IpmiBmc bmc = new(Options(silent.EndPoint));

        Assert.Equal(BmcErrorKind.InvalidArgument, (await Assert.ThrowsAsync<BmcException>(async () =>
            await bmc.SetPowerLimitAsync(new PowerLimit(0, 1000, 1, PowerLimitExceptionAction.NoAction)))).Kind);
        Assert.Equal(BmcErrorKind.InvalidArgument, (await Assert.ThrowsAsync<BmcException>(async () =>
            await bmc.SetPowerLimitAsync(new PowerLimit(100, 1000, 1, (PowerLimitExceptionAction)0x12)))).Kind);
        Assert.Equal(BmcErrorKind.InvalidArgument, (await Assert.ThrowsAsync<BmcException>(async () =>
            await bmc.ChassisControlAsync((ChassisControl)0x09))).Kind);
        Assert.Equal(0, silent.Received);
        Assert.Equal(BmcErrorKind.InvalidArgument, Assert.Throws<BmcException>(() =>
            new IpmiBmc(Options(silent.EndPoint) with { Retries = 11 })).Kind);
        Assert.Equal(BmcErrorKind.InvalidArgument, Assert.Throws<BmcException>(() =>
            new IpmiBmc(Options(silent.EndPoint) with { Timeout = TimeSpan.Zero })).Kind);
    }
}
