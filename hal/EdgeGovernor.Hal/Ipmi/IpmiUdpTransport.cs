using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace EdgeGovernor.Hal.Ipmi;

/// <summary>
/// The I/O half of the IPMI client: one UDP socket connected to the BMC's RMCP port. It sends a
/// datagram and waits a bounded time for the next one; it knows nothing of IPMI. One exchange
/// at a time (the owner serialises); the timeout source is reused between receives.
/// </summary>
public sealed class IpmiUdpTransport : IDisposable
{
    private readonly Socket _socket;
    private CancellationTokenSource _timeout = new();

    /// <summary>Opens a UDP socket connected to <paramref name="bmc"/>.</summary>
    public IpmiUdpTransport(IPEndPoint bmc)
    {
        ArgumentNullException.ThrowIfNull(bmc);
        _socket = new Socket(bmc.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Connect(bmc);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        RemoteEndPoint = bmc;
    }

    /// <summary><see cref="ReceiveAsync"/> result: no datagram within the timeout.</summary>
    public const int TimedOut = -1;

    /// <summary><see cref="ReceiveAsync"/> result: ICMP port unreachable (nothing listens on the BMC port).</summary>
    public const int Refused = -2;

    /// <summary>The BMC's address and port.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>
    /// Sends one datagram. Returns false when the socket reports ICMP port unreachable (for an
    /// earlier datagram: nothing listens on the BMC port); the datagram is then not sent.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendAsync(datagram, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for a datagram. Returns its length,
    /// <see cref="TimedOut"/> or <see cref="Refused"/>.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_timeout.TryReset())
        {
            _timeout.Dispose();
            _timeout = new CancellationTokenSource();
        }

        _timeout.CancelAfter(timeout);
        using CancellationTokenRegistration link = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _timeout)
            : default;
        try
        {
            return await _socket.ReceiveAsync(buffer, SocketFlags.None, _timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return Refused;
        }
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose()
    {
        _socket.Dispose();
        _timeout.Dispose();
    }
}
