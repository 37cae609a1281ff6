namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>Splits one CSV line (double quotes for fields with commas).</summary>
internal static class CsvLine
{
    /// <summary>Reads and splits the header line; an empty file is an error.</summary>
    public static string[] Header(string path, TextReader reader)
    {
        string? header = reader.ReadLine();
        return string.IsNullOrWhiteSpace(header)
            ? throw new InputFormatException(path, 1, "empty file (a header line is required)")
            : Split(header).Select(c => c.Trim()).ToArray();
    }

    /// <summary>The data rows after the header with their 1-based line numbers; blank lines skipped, short rows an error.</summary>
    public static IEnumerable<(int Line, string[] Fields)> Rows(string path, TextReader reader, int minColumns)
    {
        int lineNo = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] f = Split(line);
            if (f.Length < minColumns)
            {
                throw new InputFormatException(path, lineNo, $"expected at least {minColumns} columns, found {f.Length}");
            }

            yield return (lineNo, f);
        }
    }

    public static string[] Split(string line)
    {
        if (!line.Contains('"', StringComparison.Ordinal))
        {
            return line.Split(',');
        }

        var fields = new List<string>();
        var sb = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    sb.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    sb.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(ch);
            }
        }

        fields.Add(sb.ToString());
        return [.. fields];
    }

    /// <summary>The text of <paramref name="path"/>; an unreadable file is an <see cref="InputFormatException"/>.</summary>
    public static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputFormatException(path, 0, $"cannot read: {ex.Message}");
        }
    }

    /// <summary>Index of the first header column <paramref name="match"/> accepts; else an error naming <paramref name="expected"/>.</summary>
    public static int FindColumn(string path, string[] header, Func<string, bool> match, string expected)
    {
        for (int i = 0; i < header.Length; i++)
        {
            if (match(header[i].Trim()))
            {
                return i;
            }
        }

        throw new InputFormatException(path, 1, $"missing column '{expected}' (header: {string.Join(",", header)})");
    }
}
