using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// The partner's report that a committed transfer is finished (<see cref="ContractMessageKind.Done"/>): how many of its
/// units it ran by the run-by deadline (the rest missed it). Journalled by the partner before it is sent and repeated
/// until the owner acknowledges it (<see cref="ContractAck"/>).
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="Size"/> = 16 bytes):
/// <code>
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |                      transfer id (12 bytes: owner u32, sequence u64)                                    |
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |        units run (u32)            |
/// +--------+--------+--------+--------+
/// </code>
/// <see cref="TryRead"/> bounds the units by <see cref="ContractLimits.MaxUnits"/>; the owner's exchange checks them
/// against the transfer's units.
/// </remarks>
/// <param name="Transfer">The transfer finished.</param>
/// <param name="UnitsRun">Units run by the run-by deadline.</param>
public readonly record struct ContractDone(TransferId Transfer, uint UnitsRun)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = TransferId.Size + 4;

    /// <summary>Writes the report; false when <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size || !Transfer.TryWrite(destination))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination[TransferId.Size..], UnitsRun);
        return true;
    }

    /// <summary>Parses a report; false when short, the transfer id is invalid or the units exceed <see cref="ContractLimits.MaxUnits"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ContractDone done)
    {
        done = default;
        if (source.Length < Size || !TransferId.TryRead(source, out TransferId transfer))
        {
            return false;
        }

        uint run = BinaryPrimitives.ReadUInt32BigEndian(source[TransferId.Size..]);
        if (run > ContractLimits.MaxUnits)
        {
            return false;
        }

        done = new ContractDone(transfer, run);
        return true;
    }
}
