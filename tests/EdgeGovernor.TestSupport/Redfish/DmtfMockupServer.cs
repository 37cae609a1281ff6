using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeGovernor.TestSupport.Redfish;

/// <summary>
/// The DMTF Redfish-Mockup-Server (<c>../shared/redfish/redfishMockupServer.py</c>) serving one mockup on a free loopback port,
/// started with Debian's python3 (<c>PYTHONPATH</c> = the shim standing in for grequests), stopped on dispose.
/// </summary>
public sealed class DmtfMockupServer : IDisposable
{
    private readonly Process _process;

    private DmtfMockupServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static string SharedDirectory => Path.GetFullPath(Path.Combine(RepoPaths.RepoRoot, "../shared/redfish"));

    /// <summary>Debian's python3 (the one python3-requests and python3-sushy install into), or null.</summary>
    public static string? Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : null;

    /// <summary>Why these tests cannot run here, or null.</summary>
    public static string? Missing()
    {
        if (Python is null)
        {
            return "python3 is missing (/usr/bin/python3): the DMTF Redfish mockup server cannot run";
        }

        return File.Exists(Path.Combine(SharedDirectory, "redfishMockupServer.py")) ? null : "../shared/redfish/redfishMockupServer.py is missing";
    }

    /// <summary>
    /// A read-only HTTP/1.1 server (python's http.server, keep-alive) answering GETs with the mockup's <c>index.json</c> files:
    /// the DMTF server speaks HTTP/1.0 and closes every connection, this one shows the cost of a poll on a kept connection.
    /// </summary>
    public const string KeepAliveScript = """
        import http.server, os, sys
        root = sys.argv[1]
        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            disable_nagle_algorithm = True
            def do_GET(self):
                rel = self.path.split('?')[0][len('/redfish/v1'):].strip('/')
                f = os.path.join(root, rel, 'index.json')
                body = open(f, 'rb').read() if '..' not in rel and os.path.isfile(f) else None
                self.send_response(200 if body else 404)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(body or b'')))
                self.end_headers()
                self.wfile.write(body or b'')
            def log_message(self, *a):
                pass
        http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[2])), H).serve_forever()
        """;

    /// <summary>Starts the server on <paramref name="mockup"/> (public-rackmount1 or public-pdu); TLS when cert and key are given;
    /// <see cref="KeepAliveScript"/> instead of the DMTF server when <paramref name="keepAlive"/>.</summary>
    public static DmtfMockupServer Start(string mockup, string? certPem = null, string? keyPem = null, bool keepAlive = false)
    {
        int port = FreePort();
        var info = new ProcessStartInfo(Python!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PYTHONPATH"] = Path.Combine(SharedDirectory, "shim");
        string portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] arguments = keepAlive
            ? ["-c", KeepAliveScript, Path.Combine(SharedDirectory, "mockups", mockup), portText]
            : [Path.Combine(SharedDirectory, "redfishMockupServer.py"), "-S", "-D", Path.Combine(SharedDirectory, "mockups", mockup), "-H", "127.0.0.1", "-p", portText];
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        if (certPem is not null)
        {
            foreach (string a in new[] { "-s", "--cert", certPem, "--key", keyPem! })
            {
                info.ArgumentList.Add(a);
            }
        }

        Process process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new DmtfMockupServer(process, new Uri($"{(certPem is null ? "http" : "https")}://127.0.0.1:{port}/"));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the DMTF mockup server exited with {process.ExitCode}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        server.Dispose();
        throw new TimeoutException("the DMTF mockup server did not listen within 30 s");
    }

    /// <summary>Runs a python snippet with Debian's python3 and returns its standard output (trimmed).</summary>
    public static string RunPython(string script, params string[] args)
    {
        var info = new ProcessStartInfo(Python!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process p = Process.Start(info)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            throw new TimeoutException("python snippet ran over 60 s");
        }

        return p.ExitCode == 0 ? stdout.Result.Trim() : throw new InvalidOperationException($"python exited {p.ExitCode}: {stderr.Result}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
