using System.Buffers.Text;

namespace EdgeGovernor.Hal.Sysfs;

/// <summary>Parsing of the formats the kernel writes into sysfs attributes, apart from any I/O.</summary>
public static class SysfsFormat
{
    /// <summary>
    /// Parses "&lt;decimal&gt;\n" (an optional '-' sign, digits, trailing whitespace only).
    /// Anything else is <see cref="HalErrorKind.Garbage"/>.
    /// </summary>
    public static long ParseInt64(ReadOnlySpan<byte> content, string target)
    {
        if (TryParseInt64(content, out long value))
        {
            return value;
        }

        ThrowHelper.ThrowGarbage(target, content);
        return 0;
    }

    /// <summary>Non-throwing <see cref="ParseInt64"/>.</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> content, out long value)
    {
        content = TrimEnd(content);
        if (content.IsEmpty || !(content[0] == (byte)'-' || (uint)(content[0] - '0') <= 9))
        {
            value = 0;
            return false;
        }

        return Utf8Parser.TryParse(content, out value, out int consumed) && consumed == content.Length;
    }

    /// <summary>Removes trailing newline, spaces and NULs.</summary>
    public static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> content)
    {
        int end = content.Length;
        while (end > 0 && content[end - 1] is (byte)'\n' or (byte)' ' or (byte)'\t' or 0)
        {
            end--;
        }

        return content[..end];
    }

    /// <summary>Splits a space-separated list (scaling_available_frequencies, ..._governors).</summary>
    public static string[] SplitList(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
