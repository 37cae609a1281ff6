namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>
/// The elements of a document read by <see cref="XmlScanner"/>, flat in document order (element 0 is the root):
/// names and namespaces interned once, all text in one character buffer, so an element's value (its descendant text,
/// as <c>XElement.Value</c>) is one contiguous range.
/// </summary>
internal sealed class XmlTree
{
    private readonly XmlNode[] _nodes;
    private readonly string[] _names;
    private readonly string[] _namespaces;
    private readonly char[] _text;

    internal XmlTree(XmlNode[] nodes, int count, string[] names, string[] namespaces, char[] text)
    {
        _nodes = nodes;
        Count = count;
        _names = names;
        _namespaces = namespaces;
        _text = text;
    }

    /// <summary>The root element.</summary>
    public const int Root = 0;

    /// <summary>Number of elements.</summary>
    public int Count { get; }

    /// <summary>Local name (without prefix) of element <paramref name="element"/>.</summary>
    public string LocalName(int element) => _names[_nodes[element].NameId];

    /// <summary>Namespace URI of element <paramref name="element"/> ("" when none).</summary>
    public string NamespaceUri(int element) => _namespaces[_nodes[element].NamespaceId];

    /// <summary>The element's descendant text, entities and character references replaced.</summary>
    public string Value(int element) => new(_text, _nodes[element].TextStart, _nodes[element].TextLength);

    /// <summary>First child element, -1 when none.</summary>
    public int FirstChild(int element) => _nodes[element].FirstChild;

    /// <summary>Next sibling element, -1 when none.</summary>
    public int NextSibling(int element) => _nodes[element].NextSibling;

    /// <summary>The first child of <paramref name="parent"/> named <paramref name="localName"/> (any namespace), -1 when none.</summary>
    public int Child(int parent, string localName) => NextNamed(FirstChild(parent), localName);

    /// <summary><paramref name="from"/> or its first following sibling named <paramref name="localName"/>, -1 when none.</summary>
    public int NextNamed(int from, string localName)
    {
        for (int e = from; e >= 0; e = NextSibling(e))
        {
            if (string.Equals(LocalName(e), localName, StringComparison.Ordinal))
            {
                return e;
            }
        }
        return -1;
    }

    /// <summary>The trimmed value of the first child named <paramref name="localName"/>, or null when there is none.</summary>
    public string? ChildValue(int parent, string localName)
    {
        if (parent < 0)
        {
            return null;
        }
        int child = Child(parent, localName);
        return child < 0 ? null : Value(child).Trim();
    }
}
