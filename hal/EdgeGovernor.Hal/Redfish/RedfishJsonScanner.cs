using System.Text.Json;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>
/// Reads one value out of a Redfish resource without allocating (the periodic reading path): a dotted path of property
/// names, <c>0</c> standing for the first element of an array (<c>"PowerControl.0.PowerConsumedWatts"u8</c>). The whole
/// document is read, so a body that is not well-formed JSON is refused even when the value came before the damage.
/// </summary>
internal static class RedfishJsonScanner
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 32, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The number at <paramref name="path"/>: false when absent or null; a <see cref="Bmc.BmcException"/> when the body is
    /// malformed or the value is not a finite number within <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static bool TryReadNumber(ReadOnlySpan<byte> json, ReadOnlySpan<byte> path, double min, double max, string what, out double value)
    {
        value = 0;
        try
        {
            var reader = new Utf8JsonReader(json, Options);
            bool found = reader.Read() && reader.TokenType == JsonTokenType.StartObject && Find(ref reader, path);
            if (found && reader.TokenType != JsonTokenType.Null)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out value) || !double.IsFinite(value) || value < min || value > max)
                {
                    throw RedfishFailure.Malformed(what, $"{System.Text.Encoding.UTF8.GetString(path)} is not a number within {min}..{max}");
                }
            }
            else
            {
                found = false;
            }

            ReadToEnd(ref reader, what);
            return found;
        }
        catch (JsonException e)
        {
            throw RedfishFailure.Malformed(what, e.Message, e);
        }
    }

    /// <summary>The index in <paramref name="choices"/> of the string at <paramref name="path"/>, -1 when it is absent, null or
    /// none of them; a <see cref="Bmc.BmcException"/> when the body is malformed or the value is not a string.</summary>
    public static int ReadChoice(ReadOnlySpan<byte> json, ReadOnlySpan<byte> path, ReadOnlySpan<string> choices, string what)
    {
        try
        {
            var reader = new Utf8JsonReader(json, Options);
            int index = -1;
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject && Find(ref reader, path) && reader.TokenType != JsonTokenType.Null)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw RedfishFailure.Malformed(what, $"{System.Text.Encoding.UTF8.GetString(path)} is not a string");
                }

                for (int i = 0; i < choices.Length; i++)
                {
                    if (reader.ValueTextEquals(choices[i]))
                    {
                        index = i;
                        break;
                    }
                }
            }

            ReadToEnd(ref reader, what);
            return index;
        }
        catch (JsonException e)
        {
            throw RedfishFailure.Malformed(what, e.Message, e);
        }
    }

    private static void ReadToEnd(ref Utf8JsonReader reader, string what)
    {
        while (reader.Read())
        {
        }

        if (reader.CurrentDepth != 0 || reader.BytesConsumed == 0)
        {
            throw RedfishFailure.Malformed(what, "the body is not one JSON object");
        }
    }

    /// <summary>With the reader on a container's start, moves it onto the value at <paramref name="path"/>; false when absent.</summary>
    private static bool Find(ref Utf8JsonReader reader, ReadOnlySpan<byte> path)
    {
        int dot = path.IndexOf((byte)'.');
        ReadOnlySpan<byte> segment = dot < 0 ? path : path[..dot];
        ReadOnlySpan<byte> rest = dot < 0 ? default : path[(dot + 1)..];
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            if (!segment.SequenceEqual("0"u8) || !reader.Read() || reader.TokenType == JsonTokenType.EndArray)
            {
                return false;
            }

            return rest.IsEmpty || (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && Find(ref reader, rest));
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool hit = reader.ValueTextEquals(segment);
            reader.Read();
            if (hit)
            {
                return rest.IsEmpty || (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && Find(ref reader, rest));
            }

            reader.Skip();
        }

        return false;
    }
}
