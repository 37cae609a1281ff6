using System.Text;
using System.Text.Unicode;

namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>
/// A small, strict XML 1.0 reader over UTF-8 bytes, just enough for ENTSO-E replies; parsing only (the caller hands it the
/// body) and the result is an <see cref="XmlTree"/>. Accepted: a UTF-8 byte order mark, the XML declaration (encoding
/// UTF-8 or none), comments, elements with single- or double-quoted attributes, namespace declarations and prefixed
/// names, text, self-closing tags, the five predefined entities and character references (<c>&amp;#..;</c>,
/// <c>&amp;#x..;</c>), whitespace. Refused, with the byte offset: invalid UTF-8 or control characters, another declared
/// encoding, DOCTYPE (so no DTD, no other entity, no external resource), processing instructions, CDATA, mismatched or
/// unclosed tags, undeclared prefixes, duplicate attributes, more than <see cref="MaxDepth"/> levels,
/// <see cref="MaxElements"/> elements or <see cref="MaxAttributes"/> attributes on one element, names over
/// <see cref="MaxNameBytes"/> and attribute values over <see cref="MaxAttributeValueBytes"/> bytes, truncated input.
/// Whitespace-only text between markup is dropped, line ends are normalised to LF.
/// </summary>
internal ref struct XmlScanner
{
    public const int MaxDepth = 64;
    public const int MaxElements = 100_000;
    public const int MaxAttributes = 32;
    public const int MaxNameBytes = 256;
    public const int MaxAttributeValueBytes = 4096;
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    private readonly ReadOnlySpan<byte> _in;
    private int _pos;
    private readonly char[] _text;
    private int _textLength;
    private XmlNode[] _nodes;
    private int _nodeCount;
    private readonly List<string> _names;
    private readonly Dictionary<string, int> _nameIds;
    private readonly List<string> _namespaces;
    private readonly List<Binding> _bindings;
    private readonly int[] _open;
    private readonly int[] _lastChild;
    private readonly Range[] _openNames;
    private readonly Range[] _attributes;
    private int _depth;
    private char[]? _valueBuffer;

    private readonly record struct Binding(byte[] Prefix, int NamespaceId, int Depth);

    private XmlScanner(ReadOnlySpan<byte> utf8)
    {
        _in = utf8;
        _text = new char[utf8.Length];
        _nodes = new XmlNode[Math.Min(64, Math.Max(1, utf8.Length / 16))];
        _names = [];
        _nameIds = new Dictionary<string, int>(StringComparer.Ordinal);
        _namespaces = [""];
        _bindings = [];
        _open = new int[MaxDepth + 1];
        _lastChild = new int[MaxDepth + 1];
        _openNames = new Range[MaxDepth + 1];
        _attributes = new Range[MaxAttributes];
    }

    /// <summary>Reads <paramref name="utf8"/>; on refusal <paramref name="error"/> says what is wrong and at which byte.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out XmlTree tree, out string error)
    {
        try
        {
            var scanner = new XmlScanner(utf8);
            tree = scanner.Parse();
            error = "";
            return true;
        }
        catch (XmlScanException e)
        {
            tree = null!;
            error = e.Message;
            return false;
        }
    }

    private XmlTree Parse()
    {
        CheckCharacters();
        if (_in.StartsWith("\uFEFF"u8))
        {
            _pos = 3;
        }
        if (_in[_pos..].StartsWith("<?xml"u8) && _pos + 5 < _in.Length && IsSpace(_in[_pos + 5]))
        {
            ReadDeclaration();
        }
        SkipMisc(beforeRoot: true);
        if (_pos >= _in.Length)
        {
            throw Fail("the document has no root element");
        }
        ReadContent();
        SkipMisc(beforeRoot: false);
        if (_pos < _in.Length)
        {
            throw Fail("content after the root element");
        }
        return new XmlTree(_nodes, _nodeCount, [.. _names], [.. _namespaces], _text);
    }

    private readonly void CheckCharacters()
    {
        if (!Utf8.IsValid(_in))
        {
            int at = 0;
            while (Rune.DecodeFromUtf8(_in[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done)
            {
                at += consumed;
            }
            throw new XmlScanException("invalid UTF-8", at);
        }
        for (int i = 0; i < _in.Length; i++)
        {
            byte b = _in[i];
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                throw new XmlScanException(FormattableString.Invariant($"control character 0x{b:X2}"), i);
            }
        }
    }

    private void ReadDeclaration()
    {
        _pos += 5;
        bool sawVersion = false;
        while (true)
        {
            bool spaced = SkipSpace();
            if (Peek("?>"u8))
            {
                _pos += 2;
                break;
            }
            if (!spaced)
            {
                throw Fail("the XML declaration needs whitespace between its parts");
            }
            int nameStart = _pos;
            ReadOnlySpan<byte> name = _in.Slice(nameStart, ReadName() - nameStart);
            SkipSpace();
            Expect((byte)'=');
            SkipSpace();
            int valueAt = _pos;
            ReadOnlySpan<byte> value = ReadQuotedRaw();
            if (name.SequenceEqual("version"u8) && !sawVersion)
            {
                if (value.Length < 3 || !value.StartsWith("1."u8))
                {
                    throw new XmlScanException("XML version must be 1.x", valueAt);
                }
                sawVersion = true;
            }
            else if (name.SequenceEqual("encoding"u8) && sawVersion)
            {
                if (!Ascii.EqualsIgnoreCase(value, "utf-8"u8) && !Ascii.EqualsIgnoreCase(value, "utf8"u8))
                {
                    throw new XmlScanException($"encoding '{Encoding.UTF8.GetString(value)}' is not accepted (UTF-8 only)", valueAt);
                }
            }
            else if (name.SequenceEqual("standalone"u8) && sawVersion)
            {
                if (!value.SequenceEqual("yes"u8) && !value.SequenceEqual("no"u8))
                {
                    throw new XmlScanException("standalone must be yes or no", valueAt);
                }
            }
            else
            {
                throw new XmlScanException("unexpected item in the XML declaration", nameStart);
            }
        }
        if (!sawVersion)
        {
            throw Fail("the XML declaration has no version");
        }
    }

    /// <summary>Whitespace and comments before or after the root; refuses DOCTYPE, processing instructions and text.</summary>
    private void SkipMisc(bool beforeRoot)
    {
        while (true)
        {
            SkipSpace();
            if (_pos >= _in.Length)
            {
                return;
            }
            if (Peek("<!--"u8))
            {
                SkipComment();
            }
            else if (Peek("<!"u8))
            {
                throw Fail("DOCTYPE and other declarations are not accepted (no DTD, no entities)");
            }
            else if (Peek("<?"u8))
            {
                throw Fail("processing instructions are not accepted");
            }
            else if (_in[_pos] == '<' && beforeRoot)
            {
                return;
            }
            else
            {
                throw Fail(beforeRoot ? "text before the root element" : "content after the root element");
            }
        }
    }

    private void ReadContent()
    {
        ReadStartTag();
        while (_depth > 0)
        {
            if (_pos >= _in.Length)
            {
                throw Fail($"truncated: <{Encoding.UTF8.GetString(_in[_openNames[_depth]])}> is not closed");
            }
            if (_in[_pos] != '<')
            {
                ReadText();
            }
            else if (Peek("</"u8))
            {
                ReadEndTag();
            }
            else if (Peek("<!--"u8))
            {
                SkipComment();
            }
            else if (Peek("<![CDATA["u8))
            {
                throw Fail("CDATA sections are not accepted");
            }
            else if (Peek("<!"u8))
            {
                throw Fail("declarations are not accepted inside elements");
            }
            else if (Peek("<?"u8))
            {
                throw Fail("processing instructions are not accepted");
            }
            else
            {
                ReadStartTag();
            }
        }
    }

    private void ReadStartTag()
    {
        int tagAt = _pos;
        _pos++; // '<'
        if (_depth == MaxDepth)
        {
            throw new XmlScanException(FormattableString.Invariant($"elements nested deeper than {MaxDepth}"), tagAt);
        }
        if (_nodeCount == MaxElements)
        {
            throw new XmlScanException(FormattableString.Invariant($"more than {MaxElements} elements"), tagAt);
        }
        int nameStart = _pos;
        Range name = nameStart..ReadName();
        int depth = _depth + 1;
        int attributes = 0;
        bool selfClosing;
        while (true)
        {
            bool spaced = SkipSpace();
            if (_pos >= _in.Length)
            {
                throw Fail("truncated inside a tag");
            }
            if (_in[_pos] == '>')
            {
                _pos++;
                selfClosing = false;
                break;
            }
            if (Peek("/>"u8))
            {
                _pos += 2;
                selfClosing = true;
                break;
            }
            if (!spaced)
            {
                throw Fail("attributes must be separated by whitespace");
            }
            int attributeAt = _pos;
            Range attribute = attributeAt..ReadName();
            ReadOnlySpan<byte> attributeName = _in[attribute];
            for (int i = 0; i < attributes; i++)
            {
                if (_in[_attributes[i]].SequenceEqual(attributeName))
                {
                    throw new XmlScanException($"duplicate attribute '{Encoding.UTF8.GetString(attributeName)}'", attributeAt);
                }
            }
            if (attributes == MaxAttributes)
            {
                throw new XmlScanException(FormattableString.Invariant($"more than {MaxAttributes} attributes"), attributeAt);
            }
            _attributes[attributes++] = attribute;
            SkipSpace();
            Expect((byte)'=');
            SkipSpace();
            int valueAt = _pos;
            ReadOnlySpan<byte> raw = ReadQuotedRaw();
            if (attributeName.SequenceEqual("xmlns"u8))
            {
                Declare([], DecodeValue(raw, valueAt), depth, attributeAt);
            }
            else if (attributeName.StartsWith("xmlns:"u8))
            {
                string uri = DecodeValue(raw, valueAt);
                if (uri.Length == 0)
                {
                    throw new XmlScanException("a namespace prefix cannot be undeclared", attributeAt);
                }
                Declare(attributeName[6..].ToArray(), uri, depth, attributeAt);
            }
            else
            {
                Decode(raw, valueAt, ValueBuffer());
            }
        }

        for (int i = 0; i < attributes; i++)
        {
            ReadOnlySpan<byte> attributeName = _in[_attributes[i]];
            int colon = attributeName.IndexOf((byte)':');
            if (colon >= 0 && !attributeName.StartsWith("xmlns:"u8))
            {
                Resolve(attributeName[..colon], _attributes[i].Start.Value);
            }
        }
        ReadOnlySpan<byte> qualified = _in[name];
        int prefixEnd = qualified.IndexOf((byte)':');
        int namespaceId = Resolve(prefixEnd < 0 ? [] : qualified[..prefixEnd], nameStart);
        int nameId = Intern(prefixEnd < 0 ? qualified : qualified[(prefixEnd + 1)..]);

        int node = _nodeCount++;
        if (node == _nodes.Length)
        {
            Array.Resize(ref _nodes, _nodes.Length * 2);
        }
        _nodes[node] = new XmlNode(nameId, namespaceId, _textLength, 0, -1, -1);
        if (_depth > 0)
        {
            int parent = _open[_depth];
            if (_lastChild[_depth] < 0)
            {
                _nodes[parent].FirstChild = node;
            }
            else
            {
                _nodes[_lastChild[_depth]].NextSibling = node;
            }
            _lastChild[_depth] = node;
        }
        _depth = depth;
        _open[depth] = node;
        _lastChild[depth] = -1;
        _openNames[depth] = name;
        if (selfClosing)
        {
            Close();
        }
    }

    private void ReadEndTag()
    {
        int tagAt = _pos;
        _pos += 2;
        int nameStart = _pos;
        ReadOnlySpan<byte> name = _in[nameStart..ReadName()];
        if (!name.SequenceEqual(_in[_openNames[_depth]]))
        {
            throw new XmlScanException(
                $"</{Encoding.UTF8.GetString(name)}> does not close <{Encoding.UTF8.GetString(_in[_openNames[_depth]])}>", tagAt);
        }
        SkipSpace();
        Expect((byte)'>');
        Close();
    }

    private void Close()
    {
        ref XmlNode node = ref _nodes[_open[_depth]];
        node.TextLength = _textLength - node.TextStart;
        while (_bindings.Count > 0 && _bindings[^1].Depth == _depth)
        {
            _bindings.RemoveAt(_bindings.Count - 1);
        }
        _depth--;
    }

    private void ReadText()
    {
        int start = _pos;
        int end = _in[start..].IndexOf((byte)'<');
        end = end < 0 ? _in.Length : start + end;
        ReadOnlySpan<byte> raw = _in[start..end];
        _pos = end;
        if (raw.IndexOf("]]>"u8) is int bad and >= 0)
        {
            throw new XmlScanException("']]>' in text", start + bad);
        }
        if (raw.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return; // whitespace between markup, as XDocument drops it
        }
        _textLength += Decode(raw, start, _text.AsSpan(_textLength));
    }

    private void SkipComment()
    {
        int start = _pos;
        int end = _in[(start + 4)..].IndexOf("--"u8);
        if (end < 0)
        {
            throw new XmlScanException("truncated: the comment is not closed", start);
        }
        end += start + 4;
        if (end + 2 >= _in.Length || _in[end + 2] != '>')
        {
            throw new XmlScanException(end + 2 >= _in.Length ? "truncated: the comment is not closed" : "'--' inside a comment", end);
        }
        _pos = end + 3;
    }

    /// <summary>Reads a name at the current position and returns the offset after it.</summary>
    private int ReadName()
    {
        int start = _pos;
        if (_pos >= _in.Length)
        {
            throw Fail("truncated: a name was expected");
        }
        if (!IsNameStart(_in[_pos]))
        {
            throw Fail("a name was expected");
        }
        _pos++;
        while (_pos < _in.Length && IsNameChar(_in[_pos]))
        {
            if (_pos - start == MaxNameBytes)
            {
                throw new XmlScanException(FormattableString.Invariant($"a name longer than {MaxNameBytes} bytes"), start);
            }
            _pos++;
        }
        ReadOnlySpan<byte> name = _in[start.._pos];
        int colon = name.IndexOf((byte)':');
        if (colon == 0 || colon == name.Length - 1 || (colon > 0 && name[(colon + 1)..].Contains((byte)':'))
            || (colon > 0 && !IsNameStart(name[colon + 1])))
        {
            throw new XmlScanException("a qualified name must be prefix:local", start);
        }
        return _pos;
    }

    private ReadOnlySpan<byte> ReadQuotedRaw()
    {
        if (_pos >= _in.Length)
        {
            throw Fail("truncated: a quoted value was expected");
        }
        byte quote = _in[_pos];
        if (quote is not ((byte)'"' or (byte)'\''))
        {
            throw Fail("a quoted value was expected");
        }
        int start = _pos + 1;
        int length = _in[start..].IndexOf(quote);
        if (length < 0)
        {
            throw new XmlScanException("truncated: the quoted value is not closed", _pos);
        }
        if (length > MaxAttributeValueBytes)
        {
            throw new XmlScanException(FormattableString.Invariant($"a value longer than {MaxAttributeValueBytes} bytes"), start);
        }
        ReadOnlySpan<byte> raw = _in.Slice(start, length);
        if (raw.IndexOf((byte)'<') is int lt and >= 0)
        {
            throw new XmlScanException("'<' in a quoted value", start + lt);
        }
        _pos = start + length + 1;
        return raw;
    }

    private char[] ValueBuffer() => _valueBuffer ??= new char[MaxAttributeValueBytes];

    private string DecodeValue(ReadOnlySpan<byte> raw, int rawAt)
    {
        char[] buffer = ValueBuffer();
        return new string(buffer, 0, Decode(raw, rawAt, buffer));
    }

    /// <summary>
    /// Decodes the UTF-8 run <paramref name="raw"/> (found at byte <paramref name="rawAt"/>) into <paramref name="destination"/>,
    /// replacing the predefined entities and character references and normalising line ends; returns the characters written.
    /// <paramref name="destination"/> always has room: decoded text never has more UTF-16 characters than bytes.
    /// </summary>
    private static int Decode(ReadOnlySpan<byte> raw, int rawAt, Span<char> destination)
    {
        int written = 0;
        int at = 0;
        while (at < raw.Length)
        {
            int amp = raw[at..].IndexOf((byte)'&');
            ReadOnlySpan<byte> plain = amp < 0 ? raw[at..] : raw.Slice(at, amp);
            written += NormaliseLineEnds(destination.Slice(written, Encoding.UTF8.GetChars(plain, destination[written..])));
            if (amp < 0)
            {
                break;
            }
            at += amp;
            int semicolon = raw[at..].IndexOf((byte)';');
            if (semicolon < 0 || semicolon > 12)
            {
                throw new XmlScanException("'&' that does not start an entity or character reference", rawAt + at);
            }
            ReadOnlySpan<byte> reference = raw.Slice(at + 1, semicolon - 1);
            at += semicolon + 1;
            int value = reference switch
            {
                _ when reference.SequenceEqual("lt"u8) => '<',
                _ when reference.SequenceEqual("gt"u8) => '>',
                _ when reference.SequenceEqual("amp"u8) => '&',
                _ when reference.SequenceEqual("quot"u8) => '"',
                _ when reference.SequenceEqual("apos"u8) => '\'',
                _ when reference.Length > 1 && reference[0] == '#' => CharacterReference(reference[1..]),
                _ => -1,
            };
            int referenceAt = rawAt + at - semicolon - 1;
            if (value < 0)
            {
                throw new XmlScanException(
                    $"'&{Encoding.UTF8.GetString(reference)};' is not accepted (only &lt; &gt; &amp; &quot; &apos; and character references)", referenceAt);
            }
            if (!IsXmlChar(value))
            {
                throw new XmlScanException(FormattableString.Invariant($"character reference to U+{value:X4}, not an XML character"), referenceAt);
            }
            written += new Rune(value).EncodeToUtf16(destination[written..]);
        }
        return written;
    }

    private static int CharacterReference(ReadOnlySpan<byte> digits)
    {
        bool hex = digits[0] == 'x';
        if (hex)
        {
            digits = digits[1..];
        }
        if (digits.IsEmpty || digits.Length > 7)
        {
            return -1;
        }
        int value = 0;
        foreach (byte d in digits)
        {
            int digit = d switch
            {
                >= (byte)'0' and <= (byte)'9' => d - '0',
                >= (byte)'a' and <= (byte)'f' when hex => d - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' when hex => d - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return -1;
            }
            value = value * (hex ? 16 : 10) + digit;
        }
        return value;
    }

    private static bool IsXmlChar(int c) =>
        c is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    /// <summary>CR LF and lone CR become LF in place; returns the new length.</summary>
    private static int NormaliseLineEnds(Span<char> text)
    {
        if (!text.Contains('\r'))
        {
            return text.Length;
        }
        int w = 0;
        for (int r = 0; r < text.Length; r++)
        {
            if (text[r] == '\r')
            {
                text[w++] = '\n';
                if (r + 1 < text.Length && text[r + 1] == '\n')
                {
                    r++;
                }
            }
            else
            {
                text[w++] = text[r];
            }
        }
        return w;
    }

    private void Declare(byte[] prefix, string uri, int depth, int at)
    {
        if (prefix.AsSpan().SequenceEqual("xmlns"u8) || (prefix.AsSpan().SequenceEqual("xml"u8) != (uri == XmlNamespace)))
        {
            throw new XmlScanException("reserved namespace prefix or URI misused", at);
        }
        int id = _namespaces.IndexOf(uri);
        if (id < 0)
        {
            id = _namespaces.Count;
            _namespaces.Add(uri);
        }
        _bindings.Add(new Binding(prefix, id, depth));
    }

    private int Resolve(ReadOnlySpan<byte> prefix, int at)
    {
        for (int i = _bindings.Count - 1; i >= 0; i--)
        {
            if (_bindings[i].Prefix.AsSpan().SequenceEqual(prefix))
            {
                return _bindings[i].NamespaceId;
            }
        }
        if (prefix.IsEmpty)
        {
            return 0;
        }
        if (prefix.SequenceEqual("xml"u8))
        {
            int id = _namespaces.IndexOf(XmlNamespace);
            if (id < 0)
            {
                id = _namespaces.Count;
                _namespaces.Add(XmlNamespace);
            }
            return id;
        }
        throw new XmlScanException($"namespace prefix '{Encoding.UTF8.GetString(prefix)}' is not declared", at);
    }

    private int Intern(ReadOnlySpan<byte> localName)
    {
        Span<char> chars = stackalloc char[MaxNameBytes];
        ReadOnlySpan<char> name = chars[..Encoding.UTF8.GetChars(localName, chars)];
        Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup = _nameIds.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(name, out int id))
        {
            id = _names.Count;
            string s = name.ToString();
            _names.Add(s);
            _nameIds.Add(s, id);
        }
        return id;
    }

    private readonly bool Peek(ReadOnlySpan<byte> literal) => _in[_pos..].StartsWith(literal);

    private void Expect(byte b)
    {
        if (_pos >= _in.Length)
        {
            throw Fail($"truncated: '{(char)b}' was expected");
        }
        if (_in[_pos] != b)
        {
            throw Fail($"'{(char)b}' was expected");
        }
        _pos++;
    }

    private bool SkipSpace()
    {
        int start = _pos;
        while (_pos < _in.Length && IsSpace(_in[_pos]))
        {
            _pos++;
        }
        return _pos > start;
    }

    private readonly XmlScanException Fail(string reason) => new(reason, _pos);

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static bool IsNameStart(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_' or >= 0x80;

    private static bool IsNameChar(byte b) =>
        IsNameStart(b) || b is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)':';
}
