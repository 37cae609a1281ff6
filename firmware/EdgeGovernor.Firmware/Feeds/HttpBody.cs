namespace EdgeGovernor.Firmware.Feeds;

/// <summary>Reads an HTTP response body up to a bound, whatever its Content-Length says.</summary>
internal static class HttpBody
{
    /// <summary>The body of <paramref name="content"/>; <see cref="InvalidDataException"/> once it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new InvalidDataException($"body larger than {maxBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
