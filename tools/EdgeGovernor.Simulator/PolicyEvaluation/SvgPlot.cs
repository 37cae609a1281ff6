using System.Globalization;
using System.Text;

namespace EdgeGovernor.Simulator.PolicyEvaluation;

/// <summary>
/// Draws a window as an SVG: price (c/kWh), rack power (kW) and cumulative net value (EUR) over time, one
/// line per policy. Long windows are averaged into at most 1200 points per line.
/// </summary>
public static class SvgPlot
{
    private const int Width = 1100;
    private const int PanelHeight = 210;
    private const int Left = 70;
    private const int Right = 190;
    private const int Top = 60;
    private const int Gap = 50;

    private static readonly string[] Colours = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#111111", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>Renders the plot: <paramref name="traces"/> hold one value per <paramref name="intervalMinutes"/>-minute interval from <paramref name="start"/>; money in <paramref name="currency"/>.</summary>
    public static string Render(string title, DateTime start, WindowTraces traces, int intervalMinutes = 60, string currency = "EUR")
    {
        var sb = new StringBuilder();
        int height = Top + (3 * PanelHeight) + (2 * Gap) + 50;
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}</text>\n");
        int n = traces.Prices.Length;
        Panel(sb, 0, $"price (1/100 {currency}/kWh)", start, intervalMinutes, n, [("price", traces.Prices)]);
        Panel(sb, 1, "rack power (kW)", start, intervalMinutes, n, traces.Policies.Select(p => (p.Policy, p.Trace.RackWatts.Select(w => w / 1000).ToArray())).ToList());
        Panel(sb, 2, $"cumulative net value ({currency})", start, intervalMinutes, n, traces.Policies.Select(p => (p.Policy, p.Trace.CumulativeNetEur)).ToList(), cumulative: true);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void Panel(StringBuilder sb, int index, string label, DateTime start, int intervalMinutes, int n, IReadOnlyList<(string Name, double[] Values)> series, bool cumulative = false)
    {
        int y0 = Top + (index * (PanelHeight + Gap));
        int plotW = Width - Left - Right;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach ((_, double[] v) in series)
        {
            foreach (double x in v)
            {
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }
        }

        if (!(max > min))
        {
            max = min + 1;
        }

        double pad = (max - min) * 0.05;
        min -= pad;
        max += pad;
        double Y(double v) => y0 + PanelHeight - ((v - min) / (max - min) * PanelHeight);
        double X(double i) => Left + (i / Math.Max(1, n - 1) * plotW);

        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{y0}\" width=\"{plotW}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#888\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{y0 - 6}\" font-weight=\"bold\">{Escape(label)}</text>\n");
        for (int k = 0; k <= 4; k++)
        {
            double v = min + ((max - min) * k / 4);
            double y = Y(v);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{y:F1}\" y2=\"{y:F1}\" stroke=\"#eee\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{v:G4}</text>\n");
        }

        if (min < 0 && max > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{Y(0):F1}\" y2=\"{Y(0):F1}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n");
        }

        for (int k = 0; k <= 6; k++)
        {
            double i = Math.Min(n - 1, Math.Round(n * k / 6.0));
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(i):F1}\" y=\"{y0 + PanelHeight + 15}\" text-anchor=\"middle\">{start.AddMinutes((double)i * intervalMinutes):yyyy-MM-dd HH:mm}</text>\n");
        }

        int bucket = Math.Max(1, (int)Math.Ceiling(n / 1200.0));
        for (int s = 0; s < series.Count; s++)
        {
            (string name, double[] v) = series[s];
            string colour = series.Count == 1 ? "#444" : Colours[s % Colours.Length];
            sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.2\" points=\"");
            for (int i = 0; i < n; i += bucket)
            {
                int end = Math.Min(n, i + bucket);
                double val = 0;
                if (cumulative)
                {
                    val = v[end - 1];
                }
                else
                {
                    for (int j = i; j < end; j++)
                    {
                        val += v[j];
                    }

                    val /= end - i;
                }

                sb.Append(CultureInfo.InvariantCulture, $"{X((i + end - 1) / 2.0):F1},{Y(val):F1} ");
            }

            sb.Append("\"/>\n");
            if (series.Count > 1)
            {
                int ly = y0 + 14 + (s * 16);
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left + plotW + 10}\" x2=\"{Left + plotW + 30}\" y1=\"{ly - 4}\" y2=\"{ly - 4}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW + 35}\" y=\"{ly}\">{Escape(name)}</text>\n");
            }
        }
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
