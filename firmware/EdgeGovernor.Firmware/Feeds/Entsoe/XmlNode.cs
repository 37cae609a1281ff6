namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>One element of an <see cref="XmlTree"/>: interned local name and namespace, its text range, and links.</summary>
/// <param name="NameId">Index into <see cref="XmlTree"/>'s local names.</param>
/// <param name="NamespaceId">Index into <see cref="XmlTree"/>'s namespace URIs (0 is no namespace).</param>
/// <param name="TextStart">First character of the element's descendant text in the tree's text buffer.</param>
/// <param name="TextLength">Characters of descendant text (whitespace-only runs between markup excluded).</param>
/// <param name="FirstChild">Index of the first child element, -1 when none.</param>
/// <param name="NextSibling">Index of the next sibling element, -1 when none.</param>
internal record struct XmlNode(int NameId, int NamespaceId, int TextStart, int TextLength, int FirstChild, int NextSibling);
