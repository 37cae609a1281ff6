namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// The owner's acknowledgement of a done report (<see cref="ContractMessageKind.Ack"/>): it journalled the transfer
/// as settled, so the partner stops repeating <see cref="ContractDone"/>. Sent again for every duplicate report.
/// </summary>
/// <remarks>Wire layout (network byte order, <see cref="Size"/> = 12 bytes): the transfer id (owner u32, sequence u64).</remarks>
/// <param name="Transfer">The transfer settled.</param>
public readonly record struct ContractAck(TransferId Transfer)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = TransferId.Size;

    /// <summary>Writes the acknowledgement; false when <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination) => Transfer.TryWrite(destination);

    /// <summary>Parses an acknowledgement; false when short or the transfer id is invalid.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ContractAck ack)
    {
        bool ok = TransferId.TryRead(source, out TransferId transfer);
        ack = ok ? new ContractAck(transfer) : default;
        return ok;
    }
}
