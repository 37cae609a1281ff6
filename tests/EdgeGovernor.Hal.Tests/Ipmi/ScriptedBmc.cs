using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>
/// A scripted BMC on a loopback UDP socket that speaks the whole of RMCP+ (through <see cref="BmcSide"/>):
/// Get Channel Authentication Capabilities, Open Session, RAKP 1-4 and in-session requests, which it hands
/// to a script. Like pyghmi and ipmi_sim it handles one datagram at a time and does not drop repeated
/// requests, so a reply the script delays holds up the datagrams behind it. A repeated RAKP 3 is answered
/// inside the session (authenticated, encrypted), as both real BMCs do. Replies can be dropped by kind.
/// </summary>
internal sealed class ScriptedBmc : IDisposable
{
    public enum ReplyKind
    {
        ChannelAuth,
        OpenSession,
        Rakp2,
        Rakp4,
        Command,
    }

    /// <summary>An in-session request as the BMC saw it.</summary>
    public sealed record Request(byte NetFn, byte Cmd, byte[] Data, TimeSpan At);

    /// <summary>The script's answer: completion code, data, and how long the BMC takes before it sends it.</summary>
    public sealed record Reply(byte CompletionCode, byte[] Data, TimeSpan Delay = default);

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Request, Reply?> _script;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;
    private readonly Dictionary<ReplyKind, int> _sent = [];
    private bool _active;

    public ScriptedBmc(Func<Request, Reply?> script, string user = "admin", string password = "pw")
    {
        _script = script;
        Side = new BmcSide(IpmiCipherSuite.Suite3, user, password);
        _loop = Task.Run(RunAsync);
    }

    public BmcSide Side { get; }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>In-session requests received (Set Session Privilege Level and Close Session included).</summary>
    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>Decides, per kind and its 1-based count, whether a reply is dropped (lost on the way back).</summary>
    public Func<ReplyKind, int, bool> Drop { get; set; } = (_, _) => false;

    /// <summary>Silent in the given set-up step (e.g. a BMC that does not answer RAKP 1 for an unknown user).</summary>
    public ReplyKind? SilentAt { get; set; }

    /// <summary>RAKP 2 status to answer with (0: success).</summary>
    public byte Rakp2Status { get; set; }

    /// <summary>Datagrams to send (once each) before the reply to Get Channel Authentication Capabilities.</summary>
    public ConcurrentQueue<byte[]> Before { get; } = new();

    /// <summary>Sends every command reply twice (the same datagram).</summary>
    public bool Duplicate { get; set; }

    public int Rakp3Received { get; private set; }

    public int SessionsOpened { get; private set; }

    public IpmiBmcOptions Options(TimeSpan timeout, int retries) =>
        new(EndPoint, new IpmiCredentials("admin", "pw")) { Timeout = timeout, Retries = retries };

    public IEnumerable<Request> Commands(byte netFn, byte cmd) => Requests.Where(r => r.NetFn == netFn && r.Cmd == cmd);

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(30));
        _udp.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult r;
            try
            {
                r = await _udp.ReceiveAsync(_stop.Token);
                await HandleAsync(r.Buffer, r.RemoteEndPoint);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                // The client's socket went away (ICMP port unreachable): keep serving.
            }
        }
    }

    private async Task SendAsync(ReplyKind kind, byte[] datagram, IPEndPoint to)
    {
        int n = _sent[kind] = _sent.GetValueOrDefault(kind) + 1;
        if (!Drop(kind, n))
        {
            await _udp.SendAsync(datagram, to);
        }
    }

    private async Task HandleAsync(byte[] d, IPEndPoint from)
    {
        if (d.Length < 16 || d[0] != 0x06)
        {
            return;
        }

        if (d[4] == 0x00)
        {
            while (Before.TryDequeue(out byte[]? early))
            {
                await _udp.SendAsync(early, from);
            }

            if (SilentAt != ReplyKind.ChannelAuth)
            {
                byte[] message = BmcSide.ResponseMessage(0x06, 0x38, (byte)(d[14 + 4] >> 2), 0x00, 0x01, 0x97, 0x04, 0x02, 0, 0, 0, 0);
                await SendAsync(ReplyKind.ChannelAuth, [0x06, 0x00, 0xFF, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, (byte)message.Length, .. message], from);
            }

            return;
        }

        switch (d[5])
        {
            case 0x10 when SilentAt != ReplyKind.OpenSession:
                _active = false;
                Side.OutboundSeq = 0;
                SessionsOpened++;
                await SendAsync(ReplyKind.OpenSession, Side.OpenSessionResponse(d), from);
                return;
            case 0x12 when SilentAt != ReplyKind.Rakp2:
                byte[] rakp2 = Side.Rakp2(d);
                if (Rakp2Status != 0)
                {
                    rakp2 = BmcSide.Unauthenticated(0x13, [BmcSide.PayloadOf(d)[0], Rakp2Status, 0, 0, .. BmcSide.Le(Side.ConsoleSessionId)]);
                }

                await SendAsync(ReplyKind.Rakp2, rakp2, from);
                return;
            case 0x14:
                Rakp3Received++;
                byte tag = BmcSide.PayloadOf(d)[0];
                await SendAsync(ReplyKind.Rakp4, _active ? Side.SessionDatagram(Side.Rakp4Payload(tag), payloadType: 0x15) : Side.Rakp4(tag), from);
                _active = true;
                return;
            case 0xC0 when _active:
                await CommandAsync(Side.OpenRequest(d), from);
                return;
        }
    }

    private async Task CommandAsync(byte[] m, IPEndPoint from)
    {
        // rsAddr | netFn<<2 | chk | rqAddr | rqSeq<<2 | cmd | data | chk
        byte netFn = (byte)(m[1] >> 2), rqSeq = (byte)(m[4] >> 2), cmd = m[5];
        Request request = new(netFn, cmd, m[6..^1], _clock.Elapsed);
        Requests.Enqueue(request);
        Reply? reply = (netFn, cmd) switch
        {
            (0x06, 0x3B) => new Reply(0, [request.Data[0]]),
            (0x06, 0x3C) => new Reply(0, []),
            _ => _script(request),
        };
        if (reply is null)
        {
            return;
        }

        if (reply.Delay > TimeSpan.Zero)
        {
            await Task.Delay(reply.Delay, _stop.Token);
        }

        byte[] datagram = Side.SessionDatagram(BmcSide.ResponseMessage(netFn, cmd, rqSeq, reply.CompletionCode, reply.Data));
        await SendAsync(ReplyKind.Command, datagram, from);
        if (Duplicate)
        {
            await SendAsync(ReplyKind.Command, datagram, from);
        }
    }
}
