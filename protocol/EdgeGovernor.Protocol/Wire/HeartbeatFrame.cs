using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The payload of a <see cref="MessageType.Heartbeat"/> datagram: the sender's own stream position, its
/// delivered-up-to reports on other streams (<see cref="StabilityReport"/>, for stability) and the component
/// section (<see cref="IHeartbeatSection"/>, the cluster layer's figures).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +---------------------------------------------------------------+
/// |        highest sequence published by the sender (64 bits)     |  0
/// +                                                               +
/// |                                                               |
/// +---------------------------------------------------------------+
/// |        stable point of the sender's stream (64 bits)          |  8
/// +                                                               +
/// |                                                               |
/// +-------------------------------+-------------------------------+
/// |         report count n        |                               | 16
/// +-------------------------------+                               +
/// |       n reports, 20 bytes each (StabilityReport)             ...  18
/// +-------------------------------+-------------------------------+
/// |     section length s          |   section (s bytes)          ...  18 + 20 n
/// +-------------------------------+-------------------------------+
/// </code>
/// Big-endian. The payload ends exactly after the section. <see cref="TryRead"/> rejects a payload shorter than
/// <see cref="MinSize"/>, a report list or section running past the end, trailing bytes, a stable point above the
/// highest sequence, and a highest sequence or a report's delivered-up-to above <see cref="WireLimits.MaxSequence"/>. Writing happens in place: the reports into <see cref="ReportArea"/>, the section into
/// <see cref="SectionArea"/>, then <see cref="TryWrite"/> fills the fixed fields around them.
/// </summary>
/// <param name="Highest">The highest sequence the sender published (its own stream, this incarnation).</param>
/// <param name="Stable">The sender stream's stable point (at most <paramref name="Highest"/>).</param>
/// <param name="ReportCount">Number of <see cref="StabilityReport"/> entries.</param>
/// <param name="SectionLength">Bytes in the component section.</param>
public readonly record struct HeartbeatFrame(ulong Highest, ulong Stable, int ReportCount, int SectionLength)
{
    /// <summary>Bytes before the first report (highest, stable, report count).</summary>
    public const int HeadSize = 18;

    /// <summary>The smallest heartbeat: no reports, an empty section.</summary>
    public const int MinSize = HeadSize + 2;

    /// <summary>Encoded size of this frame.</summary>
    public int Size => SectionOffset(ReportCount) + SectionLength;

    /// <summary>How many reports fit one datagram beside a section of up to <paramref name="sectionBudget"/> bytes.</summary>
    public static int MaxReports(int sectionBudget) => (WireCodec.MaxPayload - MinSize - sectionBudget) / StabilityReport.Size;

    /// <summary>Where the section starts after <paramref name="reportCount"/> reports.</summary>
    public static int SectionOffset(int reportCount) => HeadSize + (reportCount * StabilityReport.Size) + 2;

    /// <summary>The bytes of <paramref name="destination"/> that take <paramref name="reportCount"/> reports.</summary>
    public static Span<byte> ReportArea(Span<byte> destination, int reportCount) => destination.Slice(HeadSize, reportCount * StabilityReport.Size);

    /// <summary>The bytes of <paramref name="destination"/> that take a section of up to <paramref name="budget"/> bytes after <paramref name="reportCount"/> reports.</summary>
    public static Span<byte> SectionArea(Span<byte> destination, int reportCount, int budget) => destination.Slice(SectionOffset(reportCount), budget);

    /// <summary>Writes the fixed fields (highest, stable, report count, section length) around reports and section
    /// already in place; false when the destination is too short or a count does not fit 16 bits.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (ReportCount is < 0 or > ushort.MaxValue || SectionLength is < 0 or > ushort.MaxValue || destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, Highest);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Stable);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], (ushort)ReportCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(SectionOffset(ReportCount) - 2)..], (ushort)SectionLength);
        written = Size;
        return true;
    }

    /// <summary>Reads and validates the framing (see the type's remarks).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out HeartbeatFrame frame)
    {
        frame = default;
        if (source.Length < MinSize)
        {
            return false;
        }

        int reports = BinaryPrimitives.ReadUInt16BigEndian(source[16..]);
        int offset = SectionOffset(reports);
        if (source.Length < offset)
        {
            return false;
        }

        int section = BinaryPrimitives.ReadUInt16BigEndian(source[(offset - 2)..]);
        if (source.Length != offset + section)
        {
            return false;
        }

        ulong highest = BinaryPrimitives.ReadUInt64BigEndian(source);
        ulong stable = BinaryPrimitives.ReadUInt64BigEndian(source[8..]);
        if (stable > highest || highest > WireLimits.MaxSequence)
        {
            return false;
        }

        for (int i = 0; i < reports; i++)
        {
            if (!StabilityReport.TryRead(source[(HeadSize + (i * StabilityReport.Size))..], out StabilityReport report) || report.Delivered > WireLimits.MaxSequence)
            {
                return false;
            }
        }

        frame = new HeartbeatFrame(highest, stable, reports, section);
        return true;
    }

    /// <summary>The report entries of a frame read from <paramref name="source"/>.</summary>
    public ReadOnlySpan<byte> Reports(ReadOnlySpan<byte> source) => source.Slice(HeadSize, ReportCount * StabilityReport.Size);

    /// <summary>The section of a frame read from <paramref name="source"/>.</summary>
    public ReadOnlySpan<byte> Section(ReadOnlySpan<byte> source) => source.Slice(SectionOffset(ReportCount), SectionLength);
}
