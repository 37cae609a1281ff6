using System.Buffers.Binary;
using System.Globalization;

namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// The idempotent identity of one transfer of units: the offering board (the units' owner, which decides the
/// transfer's outcome) and the sequence number it journalled with its offer. Unique per owner across restarts (the
/// sequence is rebuilt from the journal), so every retransmission and duplicate of any step names the same transfer.
/// </summary>
/// <remarks>
/// Wire layout (12 bytes, network byte order):
/// <code>
/// +--------+--------+--------+--------+
/// |          owner node id (u32)      |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |          sequence (u64, 1..2^63-1, journalled by the owner)           |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// </code>
/// </remarks>
/// <param name="Owner">The board that offered the units.</param>
/// <param name="Sequence">The owner's journalled transfer sequence (from 1).</param>
public readonly record struct TransferId(NodeId Owner, ulong Sequence)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = 12;

    /// <summary>True when the owner is a node and the sequence is in 1..<see cref="ContractLimits.MaxSequence"/>.</summary>
    public bool IsValid => Owner.IsValid && Sequence is >= 1 and <= ContractLimits.MaxSequence;

    /// <summary>Writes the id; false when <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Owner.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[4..], Sequence);
        return true;
    }

    /// <summary>Reads an id; false when the input is shorter than <see cref="Size"/> or the id is not <see cref="IsValid"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out TransferId id)
    {
        id = default;
        if (source.Length < Size)
        {
            return false;
        }

        var read = new TransferId(new NodeId(BinaryPrimitives.ReadUInt32BigEndian(source)), BinaryPrimitives.ReadUInt64BigEndian(source[4..]));
        if (!read.IsValid)
        {
            return false;
        }

        id = read;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Owner.ToString() + "/" + Sequence.ToString(CultureInfo.InvariantCulture);
}
