using System.Text;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>
/// The request of a head received by <see cref="HttpStatusServer"/>, parsed apart from the socket. Only the request line
/// is read: <c>METHOD SP /path[?query] SP HTTP/1.x</c> up to the first CR; GET and HEAD are served, the query is dropped.
/// </summary>
/// <param name="Path">The path, without the query.</param>
/// <param name="IsHead">True for HEAD (answered without a body).</param>
internal readonly record struct HttpRequestHead(string Path, bool IsHead)
{
    /// <summary>Longest head read; a head that does not end within it is refused with 431.</summary>
    public const int MaxBytes = 8192;

    /// <summary>Status of <see cref="Parse"/> for a request that is served.</summary>
    public const int Accepted = 200;

    /// <summary>The index of the blank line ending the head in <paramref name="received"/>, or -1 while the head is incomplete.</summary>
    public static int IndexOfEnd(ReadOnlySpan<byte> received) => received.IndexOf("\r\n\r\n"u8);

    /// <summary>
    /// Parses <paramref name="head"/> (the bytes before the blank line): <see cref="Accepted"/> and the request, or the
    /// status to refuse it with: 400 for a malformed request line, 405 for a method other than GET and HEAD.
    /// </summary>
    public static int Parse(ReadOnlySpan<byte> head, out HttpRequestHead request)
    {
        request = default;
        string text = Encoding.ASCII.GetString(head);
        int lineEnd = text.IndexOf('\r', StringComparison.Ordinal);
        string requestLine = lineEnd >= 0 ? text[..lineEnd] : text;
        string[] parts = requestLine.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[1].Length == 0 || parts[1][0] != '/')
        {
            return 400;
        }
        bool isHead = parts[0] == "HEAD";
        if (parts[0] != "GET" && !isHead)
        {
            return 405;
        }
        string path = parts[1];
        int query = path.IndexOf('?', StringComparison.Ordinal);
        request = new HttpRequestHead(query >= 0 ? path[..query] : path, isHead);
        return Accepted;
    }
}
