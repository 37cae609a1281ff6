using System.Net;
using System.Net.Sockets;

namespace EdgeGovernor.TestSupport.Ipmi;

/// <summary>
/// A loopback UDP relay in front of a BMC that loses datagrams on purpose: <see cref="DropRequest"/> decides for
/// each datagram from the client, <see cref="DropReply"/> for each from the BMC (arguments: the datagram and its
/// 1-based number in that direction). One client at a time (the last one heard from gets the replies).
/// </summary>
public sealed class UdpLossRelay : IDisposable
{
    private readonly Socket _front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _up, _down;
    private EndPoint? _client;
    private int _requests, _replies, _droppedRequests, _droppedReplies;

    public UdpLossRelay(IPEndPoint bmc)
    {
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _back.Connect(bmc);
        _up = Task.Run(UpAsync);
        _down = Task.Run(DownAsync);
    }

    /// <summary>Where the client sends to.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_front.LocalEndPoint!;

    public Func<ReadOnlyMemory<byte>, int, bool> DropRequest { get; set; } = (_, _) => false;

    public Func<ReadOnlyMemory<byte>, int, bool> DropReply { get; set; } = (_, _) => false;

    public int DroppedRequests => Volatile.Read(ref _droppedRequests);

    public int DroppedReplies => Volatile.Read(ref _droppedReplies);

    public void Dispose()
    {
        _stop.Cancel();
        _front.Dispose();
        _back.Dispose();
        try
        {
            Task.WaitAll([_up, _down], TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The loops end with the sockets.
        }

        _stop.Dispose();
    }

    private async Task UpAsync()
    {
        byte[] buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r = await _front.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            _client = r.RemoteEndPoint;
            if (DropRequest(buffer.AsMemory(0, r.ReceivedBytes), ++_requests))
            {
                Interlocked.Increment(ref _droppedRequests);
                continue;
            }

            try
            {
                await _back.SendAsync(buffer.AsMemory(0, r.ReceivedBytes), _stop.Token);
            }
            catch (SocketException)
            {
                // The BMC is not listening (paused or restarting): the datagram is lost.
            }
        }
    }

    private async Task DownAsync()
    {
        byte[] buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _back.ReceiveAsync(buffer, _stop.Token);
            }
            catch (SocketException)
            {
                continue;
            }

            if (DropReply(buffer.AsMemory(0, n), ++_replies))
            {
                Interlocked.Increment(ref _droppedReplies);
                continue;
            }

            if (_client is { } client)
            {
                await _front.SendToAsync(buffer.AsMemory(0, n), client, _stop.Token);
            }
        }
    }
}
