using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>
/// A deliberately tiny HTTP/1.1 server for <c>/metrics</c> and <c>/status</c> (ASP.NET Core would
/// triple the native binary). One thread accepts and serves connections one at a time: GET and
/// HEAD only, request head at most 8 KiB, 2 s to send it, <c>Connection: close</c> after every
/// response. Anything else gets 400, 404, 405 or 431 and the connection is closed. The handler
/// runs on the server's thread and must be thread-safe against the protocol loop.
/// </summary>
public sealed class HttpStatusServer : IDisposable
{
    private const int MaxHeadBytes = 8192;
    private readonly TcpListener _listener;
    private readonly Func<string, HttpResponse> _handler;
    private readonly Thread _thread;
    private readonly Logger _log;
    private volatile bool _stopping;
    private long _requests;
    private long _badRequests;

    /// <summary>Binds to <paramref name="address"/>:<paramref name="port"/> (0: a free port).</summary>
    public HttpStatusServer(IPAddress address, int port, Func<string, HttpResponse> handler, Logger log)
    {
        _handler = handler;
        _log = log;
        _listener = new TcpListener(address, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start(16);
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _thread = new Thread(AcceptLoop) { IsBackground = true, Name = "edgegov-http" };
        _thread.Start();
    }

    /// <summary>The bound endpoint.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Requests answered.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests refused as malformed.</summary>
    public long BadRequests => Interlocked.Read(ref _badRequests);

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = _listener.AcceptSocket();
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
            using (client)
            {
                try
                {
                    Serve(client);
                }
                catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
                {
                    // The client went away or was too slow; nothing to answer.
                }
                catch (Exception e)
                {
                    _log.Error($"http: handler failed: {e.GetType().Name}: {e.Message}");
                    TrySend(client, new HttpResponse(500, "text/plain; charset=utf-8", "internal error\n"), head: false);
                }
            }
        }
    }

    private void Serve(Socket client)
    {
        client.ReceiveTimeout = 2000;
        client.SendTimeout = 2000;
        byte[] buffer = new byte[MaxHeadBytes];
        int filled = 0;
        int end;
        while ((end = IndexOfHeadEnd(buffer.AsSpan(0, filled))) < 0)
        {
            if (filled == buffer.Length)
            {
                Refuse(client, 431, "request head too large\n");
                return;
            }
            int n = client.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (n == 0)
            {
                return;
            }
            filled += n;
        }

        string head = Encoding.ASCII.GetString(buffer, 0, end);
        int lineEnd = head.IndexOf('\r', StringComparison.Ordinal);
        string requestLine = lineEnd >= 0 ? head[..lineEnd] : head;
        string[] parts = requestLine.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[1].Length == 0 || parts[1][0] != '/')
        {
            Refuse(client, 400, "bad request\n");
            return;
        }
        bool isHead = parts[0] == "HEAD";
        if (parts[0] != "GET" && !isHead)
        {
            Refuse(client, 405, "only GET and HEAD\n");
            return;
        }
        string path = parts[1];
        int query = path.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            path = path[..query];
        }
        Interlocked.Increment(ref _requests);
        TrySend(client, _handler(path), isHead);
    }

    private void Refuse(Socket client, int status, string body)
    {
        Interlocked.Increment(ref _badRequests);
        TrySend(client, new HttpResponse(status, "text/plain; charset=utf-8", body), head: false);
    }

    private static void TrySend(Socket client, HttpResponse response, bool head)
    {
        byte[] body = Encoding.UTF8.GetBytes(response.Body);
        string header = $"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\nContent-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n";
        try
        {
            client.Send(Encoding.ASCII.GetBytes(header));
            if (!head)
            {
                client.Send(body);
            }
            client.Shutdown(SocketShutdown.Send);
            DrainQuietly(client);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Client gone.
        }
    }

    // Lingering close: read what the client still sends (briefly) so that closing with unread
    // data does not reset the connection before the client has read our answer.
    private static void DrainQuietly(Socket client)
    {
        client.ReceiveTimeout = 500;
        byte[] sink = new byte[4096];
        int total = 0;
        while (total < 64 * 1024 && client.Receive(sink) is int n && n > 0)
        {
            total += n;
        }
    }

    private static int IndexOfHeadEnd(ReadOnlySpan<byte> data) => data.IndexOf("\r\n\r\n"u8);

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
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
        _listener.Stop();
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(3));
        }
    }
}
