using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeGovernor.Firmware.Tests.Cli;

/// <summary><c>edgegov status</c> against answers no node would give: null parts, and a body far too large.</summary>
public sealed class StatusClientHardeningTests
{
    /// <summary>Answers every connection with <paramref name="head"/> and then <paramref name="bodyBytes"/> bytes of <paramref name="body"/> repeated.</summary>
    private sealed class RawServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public RawServer(string head, string body, long bodyBytes, int holdMs = 0)
        {
            _listener.Start();
            new Thread(() =>
            {
                try
                {
                    while (true)
                    {
                        using Socket client = _listener.AcceptSocket();
                        client.Receive(new byte[4096]);
                        client.Send(Encoding.ASCII.GetBytes(head));
                        byte[] chunk = Encoding.UTF8.GetBytes(body);
                        try
                        {
                            for (long sent = 0; sent < bodyBytes; sent += chunk.Length)
                            {
                                client.Send(chunk, 0, (int)Math.Min(chunk.Length, bodyBytes - sent), SocketFlags.None);
                            }
                            Thread.Sleep(holdMs);
                            client.Shutdown(SocketShutdown.Send);
                        }
                        catch (SocketException)
                        {
                            // the client stopped reading
                        }
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                }
            }) { IsBackground = true }.Start();
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/status";

        public void Dispose() => _listener.Stop();
    }

    private static (int Code, string Out, string Err) Status(string url)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(["status", "--url", url], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static RawServer Json(string json) =>
        new($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(json)}\r\nConnection: close\r\n\r\n", json, Encoding.UTF8.GetByteCount(json));

    [Theory]
    [InlineData("""{"price":null}""")]
    [InlineData("""{"members":[null]}""")]
    [InlineData("""{"nodeId":3,"members":[null,{"nodeId":3,"alive":true,"voter":true,"endpoint":"10.0.0.3:7400"}],"rack":null,"accounting":null,"price":null}""")]
    public void Null_parts_print_empty_instead_of_crashing(string json)
    {
        using RawServer server = Json(json);
        (int code, string stdout, string stderr) = Status(server.Url);
        Assert.True(code == Program.ExitOk, stderr);
        Assert.Contains("price: none in force", stdout, StringComparison.Ordinal);
        Assert.Contains("members:\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_that_stalls_fails_within_the_deadline()
    {
        using var stalled = new RawServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n", "{", 1, holdMs: 20_000);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        (int code, _, string stderr) = Status(stalled.Url);
        Assert.Equal(Program.ExitFailure, code);
        Assert.Contains("sent no complete answer within 5 s", stderr, StringComparison.Ordinal);
        Assert.InRange(watch.ElapsedMilliseconds, 4_000, 15_000);
    }

    [Fact]
    public void A_huge_body_is_refused_with_a_clear_error_without_reading_it()
    {
        // 50 MB announced by Content-Length: refused on the header.
        using (var announced = new RawServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n", "[[[[[[[[", 52_428_800))
        {
            (int code, _, string stderr) = Status(announced.Url);
            Assert.Equal(Program.ExitFailure, code);
            Assert.Contains("answered more than 1024 KiB", stderr, StringComparison.Ordinal);
        }

        // 50 MB without a length (read until close): reading stops at the bound.
        using var streamed = new RawServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n", new string(' ', 64 * 1024), 52_428_800);
        long before = GC.GetAllocatedBytesForCurrentThread();
        (int code2, _, string stderr2) = Status(streamed.Url);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(Program.ExitFailure, code2);
        Assert.Contains("answered more than 1024 KiB", stderr2, StringComparison.Ordinal);
        Assert.True(allocated < 16 << 20, $"{allocated} bytes allocated reading a refused body");
    }
}
