using System.Text;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Request heads of the status server as it reads them: the first <see cref="HttpRequestHead.MaxBytes"/> bytes received,
/// the end of the head found there (none: refused with 431), then <see cref="HttpRequestHead.Parse"/>.
/// </summary>
internal sealed class HttpRequestTarget : IFuzzTarget
{
    public string Name => "http";

    public string Description => "the status server's request head parser (HttpRequestHead)";

    public void Run(ReadOnlySpan<byte> input)
    {
        ReadOnlySpan<byte> received = input[..Math.Min(input.Length, HttpRequestHead.MaxBytes)];
        int end = HttpRequestHead.IndexOfEnd(received);
        if (end < 0)
        {
            return;
        }
        int status = HttpRequestHead.Parse(received[..end], out HttpRequestHead request);
        if (status == HttpRequestHead.Accepted ? request.Path is not ['/', ..] || request.Path.Contains('?') : status is not (400 or 405))
        {
            throw new InvalidOperationException($"status {status} with path '{request.Path}'");
        }
    }

    public IEnumerable<byte[]> Seeds()
    {
        yield return "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9464\r\nUser-Agent: Prometheus/2.45.0\r\nAccept: text/plain;version=0.0.4\r\n\r\n"u8.ToArray();
        yield return "HEAD /status?pretty=1 HTTP/1.0\r\n\r\n"u8.ToArray();
        yield return "POST /status HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray();
        yield return Encoding.ASCII.GetBytes("GET  /x HTTP/1.1\r\n\r\n");
        yield return "GET /healthz HTTP/2\r\n\r\n"u8.ToArray();
    }
}
