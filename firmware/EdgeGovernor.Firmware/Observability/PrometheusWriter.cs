using System.Globalization;
using System.Text;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): for each metric family one
/// <c># HELP</c> and one <c># TYPE</c> line, then its samples, <c>name{label="value"} number</c>.
/// Label values are escaped (backslash, double quote, newline); numbers use the invariant culture
/// and <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>. A family is declared once, even if samples come later.
/// </summary>
internal sealed class PrometheusWriter
{
    /// <summary>Content type of the exposition.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new(4096);
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);

    /// <summary>Declares a gauge family (idempotent).</summary>
    public PrometheusWriter Gauge(string name, string help) => Declare(name, help, "gauge");

    /// <summary>Declares a counter family (idempotent). Counter names end in <c>_total</c>.</summary>
    public PrometheusWriter Counter(string name, string help)
    {
        if (!name.EndsWith("_total", StringComparison.Ordinal))
        {
            throw new ArgumentException($"counter '{name}' must end in _total", nameof(name));
        }
        return Declare(name, help, "counter");
    }

    /// <summary>A gauge with one sample and no labels.</summary>
    public PrometheusWriter Gauge(string name, string help, double value) => Gauge(name, help).Sample(name, value);

    /// <summary>A counter with one sample and no labels.</summary>
    public PrometheusWriter Counter(string name, string help, double value) => Counter(name, help).Sample(name, value);

    /// <summary>A sample of a declared family, without labels.</summary>
    public PrometheusWriter Sample(string name, double value) => Sample(name, value, []);

    /// <summary>A sample of a declared family with labels (name, value pairs).</summary>
    public PrometheusWriter Sample(string name, double value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        if (!_declared.Contains(name))
        {
            throw new InvalidOperationException($"metric '{name}' has no # TYPE line yet");
        }
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    _text.Append(',');
                }
                CheckName(labels[i].Name);
                _text.Append(labels[i].Name).Append("=\"");
                AppendEscaped(labels[i].Value);
                _text.Append('"');
            }
            _text.Append('}');
        }
        _text.Append(' ').Append(FormatValue(value)).Append('\n');
        return this;
    }

    /// <summary>The exposition text.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>Formats a sample value.</summary>
    public static string FormatValue(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private PrometheusWriter Declare(string name, string help, string type)
    {
        CheckName(name);
        if (_declared.Add(name))
        {
            _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        }
        return this;
    }

    private void AppendEscaped(string value)
    {
        foreach (char c in value)
        {
            _ = c switch
            {
                '\\' => _text.Append("\\\\"),
                '"' => _text.Append("\\\""),
                '\n' => _text.Append("\\n"),
                _ => _text.Append(c),
            };
        }
    }

    private static void CheckName(string name)
    {
        bool ok = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':');
        foreach (char c in name)
        {
            ok &= char.IsAsciiLetterOrDigit(c) || c is '_' or ':';
        }
        if (!ok)
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus name", nameof(name));
        }
    }
}
