using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>
/// A deliberately tiny HTTP/1.1 server for <c>/metrics</c> and <c>/status</c> (ASP.NET Core would triple the native
/// binary). GET and HEAD only, request head at most 8 KiB, <c>Connection: close</c> after every response; anything
/// else gets 400, 404, 405 or 431 and the connection is closed.
/// <para>
/// Slow or idle clients cannot starve a scrape: one thread only accepts (backlog 512) and every connection is served
/// asynchronously, at most <c>maxConnections</c> at a time, each under one deadline for the whole request (head read,
/// answer written; 2 s by default) after which it is closed, whatever it trickled. When every slot is taken, the
/// oldest connection that has not yet sent its whole head is closed to make room (<see cref="Evicted"/>); when all
/// of them are being answered, the new one is closed (<see cref="Refused"/>).
/// </para>
/// <para>
/// The port is bound exclusively: SO_REUSEADDR (restart past TIME_WAIT) but never SO_REUSEPORT, so a second process
/// on the same port fails with an <see cref="IOException"/> naming the address and port. The handler runs on
/// thread-pool threads, possibly several at once, and must be thread-safe against the protocol loop; an exception
/// it throws answers 500 and is recorded in <see cref="HandlerFaults"/> (<c>where="http"</c>).
/// </para>
/// <para>
/// With an <see cref="HttpAuth"/>, a request without accepted credentials is answered 401 with its
/// <c>WWW-Authenticate</c> challenge and counted in <see cref="Unauthorized"/>; the handler never sees it.
/// </para>
/// </summary>
internal sealed class HttpStatusServer : IDisposable
{
    /// <summary>Connections served at once unless told otherwise.</summary>
    public const int DefaultMaxConnections = 64;

    /// <summary>Deadline of a whole request (head read and answer written) unless told otherwise.</summary>
    public static readonly TimeSpan DefaultRequestDeadline = TimeSpan.FromSeconds(2);

    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private readonly Socket _listener;
    private readonly Func<string, HttpResponse> _handler;
    private readonly Thread _thread;
    private readonly Logger _log;
    private readonly HandlerFaults? _faults;
    private readonly HttpAuth? _auth;
    private readonly int _maxConnections;
    private readonly TimeSpan _requestDeadline;
    private readonly LinkedList<Connection> _open = new(); // guarded by itself
    private volatile bool _stopping;
    private long _requests;
    private long _badRequests;
    private long _evicted;
    private long _refused;
    private long _unauthorized;

    /// <summary>Binds to <paramref name="address"/>:<paramref name="port"/> (0: a free port) and starts serving.</summary>
    /// <param name="address">Address to listen on.</param>
    /// <param name="port">Port (0: a free one).</param>
    /// <param name="handler">Answers a path (thread-safe).</param>
    /// <param name="log">Log.</param>
    /// <param name="faults">Records handler exceptions (null: logged only).</param>
    /// <param name="maxConnections">Connections served at once.</param>
    /// <param name="requestDeadline">Deadline of a whole request (default 2 s).</param>
    /// <param name="auth">Credentials every request must carry (null: none).</param>
    /// <exception cref="IOException">The port cannot be bound (in use, not allowed, address not on this host); the message names address and port.</exception>
    public HttpStatusServer(IPAddress address, int port, Func<string, HttpResponse> handler, Logger log, HandlerFaults? faults = null,
        int maxConnections = DefaultMaxConnections, TimeSpan? requestDeadline = null, HttpAuth? auth = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        _handler = handler;
        _log = log;
        _faults = faults;
        _auth = auth;
        _maxConnections = maxConnections;
        _requestDeadline = requestDeadline ?? DefaultRequestDeadline;
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // SO_REUSEADDR alone: a restart binds past TIME_WAIT, a second listener on the port fails. (.NET's
            // ReuseAddress would also set SO_REUSEPORT on Linux and let two processes share the port.)
            _listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            _listener.Bind(new IPEndPoint(address, port));
            _listener.Listen(512);
        }
        catch (SocketException e)
        {
            _listener.Dispose();
            throw new IOException(BindError(address, port, e.SocketErrorCode), e);
        }
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _thread = new Thread(AcceptLoop) { IsBackground = true, Name = "edgegov-http" };
        _thread.Start();
    }

    /// <summary>The bound endpoint.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Requests answered.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests refused as malformed.</summary>
    public long BadRequests => Interlocked.Read(ref _badRequests);

    /// <summary>Connections closed before their head was complete to make room for a new one.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Connections closed at once because every slot was busy answering.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Requests answered 401: no accepted credentials.</summary>
    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    /// <summary>Connections open now.</summary>
    public int OpenConnections
    {
        get
        {
            lock (_open)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>The readable reason a bind of <paramref name="address"/>:<paramref name="port"/> failed.</summary>
    public static string BindError(IPAddress address, int port, SocketError error) => error switch
    {
        SocketError.AddressAlreadyInUse =>
            $"cannot listen on {address}:{port} (observability.httpPort {port}): the port is already in use by another process, perhaps another edgegov; choose another port or stop that process",
        SocketError.AddressNotAvailable =>
            $"cannot listen on {address}:{port}: {address} is not an address of this host (observability.httpAddress)",
        _ => $"cannot listen on {address}:{port} (observability.httpPort {port}): {ErrorText.Socket(error)}",
    };

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                if (_stopping)
                {
                    return;
                }
                Thread.Sleep(10);
                continue;
            }
            var connection = new Connection(client, _requestDeadline);
            lock (_open)
            {
                if (_open.Count >= _maxConnections && !EvictOldestWaiting())
                {
                    Interlocked.Increment(ref _refused);
                    connection.Close();
                    continue;
                }
                connection.Node = _open.AddLast(connection);
            }
            _ = ServeAsync(connection);
        }
    }

    // Under the lock: closes the oldest connection that has not sent its whole head; false when every one has.
    private bool EvictOldestWaiting()
    {
        for (LinkedListNode<Connection>? n = _open.First; n is not null; n = n.Next)
        {
            if (!n.Value.HeadComplete)
            {
                _open.Remove(n);
                n.Value.Node = null;
                n.Value.Close();
                Interlocked.Increment(ref _evicted);
                return true;
            }
        }
        return false;
    }

    private async Task ServeAsync(Connection c)
    {
        try
        {
            await ServeCoreAsync(c).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, was too slow for the deadline, or was evicted: nothing to answer.
        }
        finally
        {
            lock (_open)
            {
                if (c.Node is not null)
                {
                    _open.Remove(c.Node);
                    c.Node = null;
                }
            }
            c.Close();
        }
    }

    private async Task ServeCoreAsync(Connection c)
    {
        CancellationToken deadline = c.Deadline;
        byte[] buffer = new byte[HttpRequestHead.MaxBytes];
        int filled = 0;
        int end;
        while ((end = HttpRequestHead.IndexOfEnd(buffer.AsSpan(0, filled))) < 0)
        {
            if (filled == buffer.Length)
            {
                c.HeadComplete = true;
                await RefuseAsync(c, 431, "request head too large\n").ConfigureAwait(false);
                return;
            }
            int n = await c.Socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, deadline).ConfigureAwait(false);
            if (n == 0)
            {
                return;
            }
            filled += n;
        }
        c.HeadComplete = true;

        int status = HttpRequestHead.Parse(buffer.AsSpan(0, end), out HttpRequestHead request);
        if (status != HttpRequestHead.Accepted)
        {
            await RefuseAsync(c, status, status == 405 ? "only GET and HEAD\n" : "bad request\n").ConfigureAwait(false);
            return;
        }
        string path = request.Path;
        bool isHead = request.IsHead;
        if (_auth is not null && !_auth.IsAuthorized(Encoding.ASCII.GetString(buffer, 0, end)))
        {
            Interlocked.Increment(ref _unauthorized);
            await SendAsync(c, new HttpResponse(401, "text/plain; charset=utf-8", "credentials required\n") { Headers = _auth.Challenge }, isHead).ConfigureAwait(false);
            return;
        }
        Interlocked.Increment(ref _requests);
        HttpResponse response;
        try
        {
            response = _handler(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (_faults is null)
            {
                _log.Error($"http: dropped request for {path} after {e.GetType().Name}: {e.Message}");
            }
            else
            {
                _faults.RecordHttp($"request for {path}", e);
            }
            response = new HttpResponse(500, "text/plain; charset=utf-8", "internal error\n");
        }
        await SendAsync(c, response, isHead).ConfigureAwait(false);
    }

    private Task RefuseAsync(Connection c, int status, string body)
    {
        Interlocked.Increment(ref _badRequests);
        return SendAsync(c, new HttpResponse(status, "text/plain; charset=utf-8", body), head: false);
    }

    private static async Task SendAsync(Connection c, HttpResponse response, bool head)
    {
        byte[] body = Encoding.UTF8.GetBytes(response.Body);
        byte[] header = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\nContent-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\n{response.Headers}Connection: close\r\nCache-Control: no-store\r\n\r\n");
        await SendAllAsync(c, header).ConfigureAwait(false);
        if (!head)
        {
            await SendAllAsync(c, body).ConfigureAwait(false);
        }
        c.Socket.Shutdown(SocketShutdown.Send);
        // Lingering close: read what the client still sends (at most 64 KiB, at most 500 ms, within the deadline)
        // so that closing with unread data does not reset the connection before the client has read our answer.
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(c.Deadline);
        linger.CancelAfter(500);
        byte[] sink = new byte[4096];
        int total = 0;
        while (total < 64 * 1024 && await c.Socket.ReceiveAsync(sink, SocketFlags.None, linger.Token).ConfigureAwait(false) is int n && n > 0)
        {
            total += n;
        }
    }

    private static async Task SendAllAsync(Connection c, ReadOnlyMemory<byte> data)
    {
        while (data.Length > 0)
        {
            int sent = await c.Socket.SendAsync(data, SocketFlags.None, c.Deadline).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopping = true;
        _listener.Dispose();
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(3));
        }
        lock (_open)
        {
            foreach (Connection c in _open)
            {
                c.Node = null;
                c.Close();
            }
            _open.Clear();
        }
    }

    /// <summary>One accepted connection: its socket, its whole-request deadline, and whether its head arrived.</summary>
    private sealed class Connection
    {
        private readonly CancellationTokenSource _deadline;
        private int _closed;

        public Connection(Socket socket, TimeSpan deadline)
        {
            Socket = socket;
            _deadline = new CancellationTokenSource(deadline);
            Deadline = _deadline.Token;
        }

        public Socket Socket { get; }

        public CancellationToken Deadline { get; }

        public volatile bool HeadComplete;

        public LinkedListNode<Connection>? Node;

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                _deadline.Cancel();
                Socket.Dispose();
                _deadline.Dispose();
            }
        }
    }
}
