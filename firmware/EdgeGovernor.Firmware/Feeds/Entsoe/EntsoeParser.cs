using System.Globalization;
using System.Text;

namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>
/// Decodes ENTSO-E Transparency Platform replies to a day-ahead price query (document type A44). Parsing only:
/// the HTTP client hands it the body. Everything is checked where it is decoded, and any defect rejects the
/// whole reply with a message naming the element (a partial day of prices is worse than none):
/// <list type="bullet">
/// <item>the root: <c>Publication_MarketDocument</c> in an IEC 62325-451-3 publication namespace with type A44,
/// or <c>Acknowledgement_MarketDocument</c> in an IEC 62325-451-1 namespace (no data yet);</item>
/// <item>per TimeSeries: currency and price unit as configured, curve type A01 or A03 (absent means A01);</item>
/// <item>per Period: UTC start and end on whole minutes, resolution PT15M, PT30M or PT60M (also written PT1H),
/// the interval a whole number of resolutions (92 or 100 quarter-hours on clock-change days are fine);</item>
/// <item>per Point: position 1..N strictly increasing, a finite price within the plausibility window; with A01
/// every position written, with A03 position 1 written and a left-out position repeating the one before.</item>
/// </list>
/// The XML is read by <see cref="XmlScanner"/>: no DTD, no entity but the predefined ones, nothing external resolved.
/// </summary>
internal static class EntsoeParser
{
    private const string PublicationNamespacePrefix = "urn:iec62325.351:tc57wg16:451-3:publicationdocument:7:";
    private const string AcknowledgementNamespacePrefix = "urn:iec62325.351:tc57wg16:451-1:acknowledgementdocument:7:";

    /// <summary>Decodes <paramref name="xml"/>; on failure <paramref name="error"/> says what is wrong and where.</summary>
    public static bool TryParse(string xml, EntsoeParseOptions options, out EntsoeDocument document, out string error)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(options);
        document = new EntsoeDocument();
        if (xml.Length > options.MaxCharacters)
        {
            error = FormattableString.Invariant($"the reply has {xml.Length} characters, more than the {options.MaxCharacters} accepted");
            return false;
        }

        return TryParseXml(Encoding.UTF8.GetBytes(xml), options, out document, out error);
    }

    /// <summary>Decodes the UTF-8 reply <paramref name="utf8"/>; on failure <paramref name="error"/> says what is wrong and where.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, EntsoeParseOptions options, out EntsoeDocument document, out string error)
    {
        ArgumentNullException.ThrowIfNull(options);
        document = new EntsoeDocument();
        if (utf8.Length > options.MaxCharacters)
        {
            error = FormattableString.Invariant($"the reply has {utf8.Length} bytes, more than the {options.MaxCharacters} accepted");
            return false;
        }
        return TryParseXml(utf8, options, out document, out error);
    }

    private static bool TryParseXml(ReadOnlySpan<byte> utf8, EntsoeParseOptions options, out EntsoeDocument document, out string error)
    {
        document = new EntsoeDocument();
        if (!XmlScanner.TryParse(utf8, out XmlTree tree, out string xmlError))
        {
            error = "the reply is not well-formed XML: " + xmlError;
            return false;
        }

        const int root = XmlTree.Root;
        string ns = tree.NamespaceUri(root);
        string rootName = tree.LocalName(root);
        switch (rootName)
        {
            case "Acknowledgement_MarketDocument" when ns.StartsWith(AcknowledgementNamespacePrefix, StringComparison.Ordinal):
                int reason = tree.Child(root, "Reason");
                document = new EntsoeDocument
                {
                    IsAcknowledgement = true,
                    ReasonCode = tree.ChildValue(reason, "code"),
                    ReasonText = tree.ChildValue(reason, "text"),
                };
                error = "";
                return true;
            case "Publication_MarketDocument" when ns.StartsWith(PublicationNamespacePrefix, StringComparison.Ordinal):
                return TryParsePublication(tree, root, options, out document, out error);
            case "Acknowledgement_MarketDocument" or "Publication_MarketDocument":
                error = $"{rootName} has the unknown namespace '{ns}'";
                return false;
            default:
                error = $"the reply is a '{rootName}', not a Publication_MarketDocument or Acknowledgement_MarketDocument";
                return false;
        }
    }

    private static bool TryParsePublication(XmlTree tree, int root, EntsoeParseOptions options, out EntsoeDocument document, out string error)
    {
        document = new EntsoeDocument();
        string? type = tree.ChildValue(root, "type");
        if (type != "A44")
        {
            error = $"document type is '{type ?? "(missing)"}', not A44 (day-ahead prices)";
            return false;
        }

        var periods = new List<EntsoePeriod>();
        int intervals = 0;
        int seriesIndex = 0;
        for (int series = tree.Child(root, "TimeSeries"); series >= 0; series = tree.NextNamed(tree.NextSibling(series), "TimeSeries"))
        {
            seriesIndex++;
            string where = FormattableString.Invariant($"TimeSeries {seriesIndex}");
            string? currency = tree.ChildValue(series, "currency_Unit.name");
            if (!string.Equals(currency, options.Currency, StringComparison.Ordinal))
            {
                error = $"{where}: currency is '{currency ?? "(missing)"}', expected '{options.Currency}'";
                return false;
            }
            string? unit = tree.ChildValue(series, "price_Measure_Unit.name");
            if (!string.Equals(unit, options.PriceUnit, StringComparison.Ordinal))
            {
                error = $"{where}: price unit is '{unit ?? "(missing)"}', expected '{options.PriceUnit}'";
                return false;
            }
            string curveText = tree.ChildValue(series, "curveType") ?? "A01";
            EntsoeCurveType curve;
            switch (curveText)
            {
                case "A01": curve = EntsoeCurveType.SequentialFixedSizeBlock; break;
                case "A03": curve = EntsoeCurveType.VariableSizedBlock; break;
                default:
                    error = $"{where}: curve type '{curveText}' is not supported (A01 or A03)";
                    return false;
            }

            int periodIndex = 0;
            for (int period = tree.Child(series, "Period"); period >= 0; period = tree.NextNamed(tree.NextSibling(period), "Period"))
            {
                periodIndex++;
                string at = FormattableString.Invariant($"{where}, Period {periodIndex}");
                if (!TryParsePeriod(tree, period, curve, options, options.MaxIntervals - intervals, at, out EntsoePeriod? parsed, out error))
                {
                    return false;
                }
                intervals += parsed!.Prices.Length;
                periods.Add(parsed);
            }
            if (periodIndex == 0)
            {
                error = $"{where} has no Period";
                return false;
            }
        }
        if (periods.Count == 0)
        {
            error = "the reply has no TimeSeries with prices";
            return false;
        }

        document = new EntsoeDocument { Currency = options.Currency, Periods = periods };
        error = "";
        return true;
    }

    private static bool TryParsePeriod(XmlTree tree, int period, EntsoeCurveType curve, EntsoeParseOptions options, int intervalsLeft, string at,
        out EntsoePeriod? parsed, out string error)
    {
        parsed = null;
        int interval = tree.Child(period, "timeInterval");
        if (interval < 0
            || !TryParseUtc(tree.ChildValue(interval, "start"), out DateTimeOffset start)
            || !TryParseUtc(tree.ChildValue(interval, "end"), out DateTimeOffset end))
        {
            error = $"{at}: timeInterval needs a start and an end in UTC (yyyy-MM-ddTHH:mmZ)";
            return false;
        }
        string resolutionText = tree.ChildValue(period, "resolution") ?? "";
        if (!TryParseResolution(resolutionText, out TimeSpan resolution))
        {
            error = $"{at}: resolution '{resolutionText}' is not supported (PT15M, PT30M or PT60M)";
            return false;
        }
        if (end <= start)
        {
            error = FormattableString.Invariant($"{at}: the interval ends ({end:yyyy-MM-ddTHH:mmZ}) before it starts ({start:yyyy-MM-ddTHH:mmZ})");
            return false;
        }
        TimeSpan length = end - start;
        if (length.Ticks % resolution.Ticks != 0 || start.Ticks % resolution.Ticks != 0)
        {
            error = FormattableString.Invariant($"{at}: {start:yyyy-MM-ddTHH:mmZ}..{end:yyyy-MM-ddTHH:mmZ} is not whole {resolutionText} intervals on the {resolutionText} grid");
            return false;
        }
        long count = length.Ticks / resolution.Ticks;
        if (count > intervalsLeft)
        {
            error = FormattableString.Invariant($"{at}: the reply holds more than {options.MaxIntervals} intervals");
            return false;
        }

        var prices = new double[count];
        var written = new bool[count];
        int last = 0;
        for (int point = tree.Child(period, "Point"); point >= 0; point = tree.NextNamed(tree.NextSibling(point), "Point"))
        {
            string positionText = tree.ChildValue(point, "position") ?? "";
            if (!int.TryParse(positionText, NumberStyles.None, CultureInfo.InvariantCulture, out int position) || position < 1 || position > count)
            {
                error = FormattableString.Invariant($"{at}: position '{positionText}' is outside 1..{count}");
                return false;
            }
            if (position <= last)
            {
                error = FormattableString.Invariant($"{at}: position {position} comes after position {last}");
                return false;
            }
            string priceText = tree.ChildValue(point, "price.amount") ?? "";
            if (!double.TryParse(priceText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double price)
                || !double.IsFinite(price))
            {
                error = FormattableString.Invariant($"{at}, position {position}: price '{priceText}' is not a number");
                return false;
            }
            if (price < options.MinPrice || price > options.MaxPrice)
            {
                error = FormattableString.Invariant($"{at}, position {position}: price {price} is outside the plausible {options.MinPrice}..{options.MaxPrice}");
                return false;
            }
            prices[position - 1] = price;
            written[position - 1] = true;
            last = position;
        }

        for (int i = 0; i < count; i++)
        {
            if (written[i])
            {
                continue;
            }
            if (curve == EntsoeCurveType.SequentialFixedSizeBlock)
            {
                error = FormattableString.Invariant($"{at}: position {i + 1} is missing from an A01 curve");
                return false;
            }
            if (i == 0)
            {
                error = $"{at}: position 1 is missing (an A03 curve must start with a price)";
                return false;
            }
            prices[i] = prices[i - 1];
        }

        parsed = new EntsoePeriod(start, resolution, prices, curve);
        error = "";
        return true;
    }

    private static bool TryParseUtc(string? text, out DateTimeOffset value)
    {
        string[] formats = ["yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'"];
        return DateTimeOffset.TryParseExact(text?.Trim(), formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>Parses the ISO 8601 durations the day-ahead market uses: PT15M, PT30M, PT60M (PT1H).</summary>
    internal static bool TryParseResolution(string text, out TimeSpan resolution)
    {
        resolution = text switch
        {
            "PT15M" => TimeSpan.FromMinutes(15),
            "PT30M" => TimeSpan.FromMinutes(30),
            "PT60M" or "PT1H" => TimeSpan.FromHours(1),
            _ => TimeSpan.Zero,
        };
        return resolution > TimeSpan.Zero;
    }
}
