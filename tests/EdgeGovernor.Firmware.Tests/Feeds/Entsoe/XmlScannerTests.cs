using System.Text;
using EdgeGovernor.Firmware.Feeds.Entsoe;

namespace EdgeGovernor.Firmware.Tests.Feeds.Entsoe;

public class XmlScannerTests
{
    private static XmlTree Parse(string xml) => Parse(Encoding.UTF8.GetBytes(xml));

    private static XmlTree Parse(byte[] utf8)
    {
        Assert.True(XmlScanner.TryParse(utf8, out XmlTree tree, out string error), error);
        return tree;
    }

    private static string Fails(string xml) => Fails(Encoding.UTF8.GetBytes(xml));

    private static string Fails(byte[] utf8)
    {
        Assert.False(XmlScanner.TryParse(utf8, out _, out string error));
        Assert.Contains("at byte", error);
        return error;
    }

    [Fact]
    public void Reads_elements_text_attributes_comments_and_self_closing_tags()
    {
        XmlTree tree = Parse("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <!-- before -->
            <root a="1" b='two'>
              <x>hello <!-- inside --> world</x>
              <empty/>
              <y  c = "3" />
              <x>second</x>
            </root>
            <!-- after -->
            """);
        Assert.Equal("root", tree.LocalName(XmlTree.Root));
        Assert.Equal("", tree.NamespaceUri(XmlTree.Root));
        Assert.Equal(4, tree.Count - 1);
        int x = tree.Child(XmlTree.Root, "x");
        Assert.Equal("hello  world", tree.Value(x));
        Assert.Equal("", tree.Value(tree.Child(XmlTree.Root, "empty")));
        Assert.Equal("second", tree.Value(tree.NextNamed(tree.NextSibling(x), "x")));
        Assert.Equal(-1, tree.Child(XmlTree.Root, "missing"));
        Assert.Equal("hello  worldsecond", tree.Value(XmlTree.Root)); // whitespace between markup dropped, as XDocument
    }

    [Fact]
    public void Replaces_the_predefined_entities_and_character_references_and_normalises_line_ends()
    {
        XmlTree tree = Parse("<r a=\"&quot;&amp;\">&lt;&gt;&amp;&quot;&apos; &#65;&#x42;&#x1F600; a\r\nb\rc</r>");
        Assert.Equal("<>&\"' AB\U0001F600 a\nb\nc", tree.Value(XmlTree.Root));
    }

    [Fact]
    public void Resolves_default_and_prefixed_namespaces()
    {
        XmlTree tree = Parse("""<r xmlns="urn:a" xmlns:p="urn:p"><p:c p:at="1"><d xmlns="">t</d></p:c><e/></r>""");
        Assert.Equal("urn:a", tree.NamespaceUri(XmlTree.Root));
        int c = tree.Child(XmlTree.Root, "c");
        Assert.Equal("urn:p", tree.NamespaceUri(c));
        Assert.Equal("", tree.NamespaceUri(tree.Child(c, "d")));
        Assert.Equal("urn:a", tree.NamespaceUri(tree.Child(XmlTree.Root, "e")));
    }

    [Fact]
    public void Accepts_a_utf8_byte_order_mark_and_non_ascii_text()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><r>Préis €</r>")];
        Assert.Equal("Préis €", Parse(body).Value(XmlTree.Root));
    }

    [Theory]
    [InlineData("""<?xml version="1.0" encoding="UTF-16"?><r/>""", "encoding 'UTF-16'")]
    [InlineData("""<?xml version="1.0" encoding="ISO-8859-1"?><r/>""", "UTF-8 only")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>""", "DOCTYPE")]
    [InlineData("""<!DOCTYPE r><r/>""", "DOCTYPE")]
    [InlineData("""<r>&e;</r>""", "'&e;' is not accepted")]
    [InlineData("""<r>&nbsp;</r>""", "'&nbsp;' is not accepted")]
    [InlineData("""<r a="&e;"/>""", "'&e;' is not accepted")]
    [InlineData("""<r>a & b</r>""", "'&' that does not start")]
    [InlineData("""<r>&#0;</r>""", "not an XML character")]
    [InlineData("""<r>&#xD800;</r>""", "not an XML character")]
    [InlineData("""<r>&#x110000;</r>""", "not an XML character")]
    [InlineData("""<r>&#12a;</r>""", "is not accepted")]
    [InlineData("""<?pi x?><r/>""", "processing instructions")]
    [InlineData("""<r><?pi x?></r>""", "processing instructions")]
    [InlineData("""<r><![CDATA[x]]></r>""", "CDATA")]
    [InlineData("""<r><a></b></r>""", "</b> does not close <a>")]
    [InlineData("""<r><a></r>""", "</r> does not close <a>")]
    [InlineData("""<r><a>""", "truncated")]
    [InlineData("""<r a="1" a="2"/>""", "duplicate attribute 'a'")]
    [InlineData("""<r a="1"b="2"/>""", "separated by whitespace")]
    [InlineData("""<r a=1/>""", "quoted value")]
    [InlineData("""<r a="<"/>""", "'<' in a quoted value")]
    [InlineData("""<p:r/>""", "prefix 'p' is not declared")]
    [InlineData("""<r q:a="1"/>""", "prefix 'q' is not declared")]
    [InlineData("""<r xmlns:p=""/>""", "cannot be undeclared")]
    [InlineData("""<r/><r/>""", "after the root")]
    [InlineData("""<r/>text""", "after the root")]
    [InlineData("""text<r/>""", "before the root")]
    [InlineData("", "no root element")]
    [InlineData("""<r><!-- a -- b --></r>""", "'--' inside a comment")]
    [InlineData("""<r><!-- open </r>""", "comment is not closed")]
    [InlineData("""<r>]]></r>""", "']]>'")]
    [InlineData("""<1r/>""", "a name was expected")]
    [InlineData(""" <?xml version="1.0"?><r/>""", "processing instructions")]
    [InlineData("""<?xml encoding="utf-8"?><r/>""", "unexpected item")]
    [InlineData("<r>a\u0001b</r>", "control character 0x01")]
    public void Refuses(string xml, string reason) => Assert.Contains(reason, Fails(xml));

    [Fact]
    public void Refuses_invalid_utf8_at_its_offset()
    {
        byte[] body = [.. "<r>ab"u8, 0xC3, 0x28, .. "</r>"u8];
        Assert.Contains("invalid UTF-8 (at byte 5)", Fails(body));
        Assert.Contains("invalid UTF-8", Fails([.. "<r>"u8, 0xED, 0xA0, 0x80, .. "</r>"u8])); // encoded surrogate
        Assert.Contains("invalid UTF-8", Fails([.. "<r>"u8, 0xF0, 0x9F]));
    }

    [Fact]
    public void Refuses_depth_over_64_but_accepts_64()
    {
        string Nested(int depth) => string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth));
        Parse(Nested(XmlScanner.MaxDepth));
        Assert.Contains("deeper than 64", Fails(Nested(XmlScanner.MaxDepth + 1)));
    }

    [Fact]
    public void Refuses_names_values_and_attribute_counts_over_their_bounds()
    {
        Parse($"<{new string('n', XmlScanner.MaxNameBytes)}/>");
        Assert.Contains("name longer than", Fails($"<{new string('n', XmlScanner.MaxNameBytes + 1)}/>"));
        Parse($"<r a=\"{new string('v', XmlScanner.MaxAttributeValueBytes)}\"/>");
        Assert.Contains("value longer than", Fails($"<r a=\"{new string('v', XmlScanner.MaxAttributeValueBytes + 1)}\"/>"));
        string attributes = string.Concat(Enumerable.Range(0, XmlScanner.MaxAttributes + 1).Select(i => $" a{i}=\"\""));
        Assert.Contains("more than 32 attributes", Fails($"<r{attributes}/>"));
        Assert.Contains("more than 100000 elements", Fails("<r>" + string.Concat(Enumerable.Repeat("<a/>", XmlScanner.MaxElements)) + "</r>"));
    }

    [Fact]
    public void Reports_the_byte_offset_of_the_defect()
    {
        Assert.Contains("(at byte 6)", Fails("<r><a></b></r>"));
    }

    [Theory]
    [InlineData("BE_2024-10-08_A44_PT60M.xml")]
    [InlineData("DE-LU_2024-10-06_A44_PT60M_PT15M_A03.xml")]
    public void A_real_reply_truncated_at_every_byte_is_refused_with_the_scanners_error(string name)
    {
        byte[] body = File.ReadAllBytes(Path.Combine(RepoPaths.SharedData, "entsoe", name));
        Parse(body);
        for (int length = 0; length < body.Length; length++)
        {
            bool ok;
            string error;
            try
            {
                ok = XmlScanner.TryParse(body.AsSpan(0, length), out _, out error);
            }
            catch (Exception e)
            {
                Assert.Fail($"truncated at {length}: {e.GetType().Name}: {e.Message}");
                return;
            }
            // Only trailing whitespace or a comment after the root can be cut off and still leave a whole document.
            if (ok)
            {
                Assert.True(length >= body.AsSpan().TrimEnd(" \t\r\n"u8).Length, $"truncated at {length} was accepted");
            }
            else
            {
                Assert.Contains("at byte", error);
            }
        }
    }
}
