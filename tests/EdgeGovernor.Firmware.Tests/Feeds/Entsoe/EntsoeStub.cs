using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeGovernor.Firmware.Tests.Feeds.Entsoe;

/// <summary>
/// A local stand-in for the Transparency Platform's API: answers each request (one per connection) with the next queued
/// reply, the last one again when the queue is empty, and records the request targets.
/// </summary>
internal sealed class EntsoeStub : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Queue<(int Status, string Headers, string Body)> _replies = new();
    private readonly List<string> _targets = [];
    private (int Status, string Headers, string Body) _last = (503, "", "");
    private readonly Thread _thread;

    public EntsoeStub()
    {
        _listener.Start();
        _thread = new Thread(Serve) { IsBackground = true, Name = "entsoe stub" };
        _thread.Start();
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/api";

    /// <summary>The request targets seen so far (path and query).</summary>
    public IReadOnlyList<string> Targets
    {
        get
        {
            lock (_targets)
            {
                return [.. _targets];
            }
        }
    }

    /// <summary>Queues a reply.</summary>
    public EntsoeStub Reply(int status, string body, string headers = "")
    {
        lock (_replies)
        {
            _replies.Enqueue((status, headers, body));
        }
        return this;
    }

    /// <summary>Queues one of the real replies of <c>../shared/data/entsoe/</c>.</summary>
    public EntsoeStub ReplyFile(string name, int status = 200) => Reply(status, File.ReadAllText(RepoPaths.SharedDataFile("entsoe", name)));

    private void Serve()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = _listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using (client)
            {
                try
                {
                    var request = new StringBuilder();
                    byte[] buffer = new byte[4096];
                    while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        int n = client.Receive(buffer);
                        if (n == 0)
                        {
                            break;
                        }
                        request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }
                    string line = request.ToString().Split("\r\n")[0];
                    string[] parts = line.Split(' ');
                    lock (_targets)
                    {
                        _targets.Add(parts.Length > 1 ? parts[1] : line);
                    }
                    (int status, string headers, string body) reply;
                    lock (_replies)
                    {
                        reply = _replies.Count > 0 ? _replies.Dequeue() : _last;
                        _last = reply;
                    }
                    byte[] payload = Encoding.UTF8.GetBytes(reply.body);
                    string head = $"HTTP/1.1 {reply.status} Stub\r\nContent-Type: text/xml\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n{reply.headers}\r\n";
                    client.Send([.. Encoding.ASCII.GetBytes(head), .. payload]);
                    client.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                }
            }
        }
    }

    public void Dispose() => _listener.Stop();
}
