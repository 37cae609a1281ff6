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

    /// <summary>Longest value a restore writes back (the bytes an attribute's original is read with).</summary>
    public const int MaxRestoreValueLength = 64;

    /// <summary>
    /// True when <paramref name="value"/> (as the state journal holds it: no newline) is a value of the attribute
    /// <paramref name="name"/> that edgegov writes: <c>enabled</c> 0 or 1; <c>constraint_N_power_limit_uw</c>,
    /// <c>constraint_N_time_window_us</c>, <c>scaling_min_freq</c>, <c>scaling_max_freq</c> a decimal from 0;
    /// <c>pwmN</c> 0..255; <c>pwmN_enable</c> 0..9; <c>scaling_governor</c> and <c>energy_performance_preference</c>
    /// a word of lower-case letters, digits and underscores. At most <see cref="MaxRestoreValueLength"/> bytes; any
    /// other attribute is false.
    /// </summary>
    public static bool IsRestorable(string name, string value)
    {
        if (value.Length is 0 or > MaxRestoreValueLength)
        {
            return false;
        }
        if (name is "scaling_governor" or "energy_performance_preference")
        {
            foreach (char c in value)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
                {
                    return false;
                }
            }
            return true;
        }
        long max = name switch
        {
            "enabled" => 1,
            "scaling_min_freq" or "scaling_max_freq" => long.MaxValue,
            _ when IsIndexed(name, "constraint_", "_power_limit_uw") || IsIndexed(name, "constraint_", "_time_window_us") => long.MaxValue,
            _ when IsIndexed(name, "pwm", "") => 255,
            _ when IsIndexed(name, "pwm", "_enable") => 9,
            _ => -1,
        };
        Span<byte> ascii = stackalloc byte[MaxRestoreValueLength];
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] is not (>= '0' and <= '9'))
            {
                return false; // digits only: no sign, no spaces, no newline
            }
            ascii[i] = (byte)value[i];
        }
        return max >= 0 && TryParseInt64(ascii[..value.Length], out long v) && v <= max;
    }

    // name = prefix + decimal index + suffix (pwm1, pwm1_enable, constraint_0_power_limit_uw).
    private static bool IsIndexed(string name, string prefix, string suffix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(suffix, StringComparison.Ordinal) || name.Length <= prefix.Length + suffix.Length)
        {
            return false;
        }
        foreach (char c in name.AsSpan(prefix.Length, name.Length - prefix.Length - suffix.Length))
        {
            if (c is not (>= '0' and <= '9'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Splits a space-separated list (scaling_available_frequencies, ..._governors).</summary>
    public static string[] SplitList(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
