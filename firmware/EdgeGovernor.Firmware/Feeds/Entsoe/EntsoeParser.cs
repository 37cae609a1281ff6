using System.Globalization;
using System.Xml;
using System.Xml.Linq;

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
/// DTDs are refused and no external resource is ever resolved.
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

        XDocument parsed;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = options.MaxCharacters,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
            };
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            parsed = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            error = "the reply is not well-formed XML: " + ex.Message;
            return false;
        }

        XElement root = parsed.Root!;
        string ns = root.Name.NamespaceName;
        switch (root.Name.LocalName)
        {
            case "Acknowledgement_MarketDocument" when ns.StartsWith(AcknowledgementNamespacePrefix, StringComparison.Ordinal):
                XElement? reason = Child(root, "Reason");
                document = new EntsoeDocument
                {
                    IsAcknowledgement = true,
                    ReasonCode = reason is null ? null : Child(reason, "code")?.Value.Trim(),
                    ReasonText = reason is null ? null : Child(reason, "text")?.Value.Trim(),
                };
                error = "";
                return true;
            case "Publication_MarketDocument" when ns.StartsWith(PublicationNamespacePrefix, StringComparison.Ordinal):
                return TryParsePublication(root, options, out document, out error);
            case "Acknowledgement_MarketDocument" or "Publication_MarketDocument":
                error = $"{root.Name.LocalName} has the unknown namespace '{ns}'";
                return false;
            default:
                error = $"the reply is a '{root.Name.LocalName}', not a Publication_MarketDocument or Acknowledgement_MarketDocument";
                return false;
        }
    }

    private static bool TryParsePublication(XElement root, EntsoeParseOptions options, out EntsoeDocument document, out string error)
    {
        document = new EntsoeDocument();
        string? type = Child(root, "type")?.Value.Trim();
        if (type != "A44")
        {
            error = $"document type is '{type ?? "(missing)"}', not A44 (day-ahead prices)";
            return false;
        }

        var periods = new List<EntsoePeriod>();
        int intervals = 0;
        int seriesIndex = 0;
        foreach (XElement series in Children(root, "TimeSeries"))
        {
            seriesIndex++;
            string where = FormattableString.Invariant($"TimeSeries {seriesIndex}");
            string? currency = Child(series, "currency_Unit.name")?.Value.Trim();
            if (!string.Equals(currency, options.Currency, StringComparison.Ordinal))
            {
                error = $"{where}: currency is '{currency ?? "(missing)"}', expected '{options.Currency}'";
                return false;
            }
            string? unit = Child(series, "price_Measure_Unit.name")?.Value.Trim();
            if (!string.Equals(unit, options.PriceUnit, StringComparison.Ordinal))
            {
                error = $"{where}: price unit is '{unit ?? "(missing)"}', expected '{options.PriceUnit}'";
                return false;
            }
            string curveText = Child(series, "curveType")?.Value.Trim() ?? "A01";
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
            foreach (XElement period in Children(series, "Period"))
            {
                periodIndex++;
                string at = FormattableString.Invariant($"{where}, Period {periodIndex}");
                if (!TryParsePeriod(period, curve, options, options.MaxIntervals - intervals, at, out EntsoePeriod? parsed, out error))
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

    private static bool TryParsePeriod(XElement period, EntsoeCurveType curve, EntsoeParseOptions options, int intervalsLeft, string at,
        out EntsoePeriod? parsed, out string error)
    {
        parsed = null;
        XElement? interval = Child(period, "timeInterval");
        if (interval is null
            || !TryParseUtc(Child(interval, "start")?.Value, out DateTimeOffset start)
            || !TryParseUtc(Child(interval, "end")?.Value, out DateTimeOffset end))
        {
            error = $"{at}: timeInterval needs a start and an end in UTC (yyyy-MM-ddTHH:mmZ)";
            return false;
        }
        string resolutionText = Child(period, "resolution")?.Value.Trim() ?? "";
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
        foreach (XElement point in Children(period, "Point"))
        {
            string positionText = Child(point, "position")?.Value.Trim() ?? "";
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
            string priceText = Child(point, "price.amount")?.Value.Trim() ?? "";
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

    private static XElement? Child(XElement parent, string localName)
    {
        foreach (XElement e in parent.Elements())
        {
            if (e.Name.LocalName == localName)
            {
                return e;
            }
        }
        return null;
    }

    private static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);
}
