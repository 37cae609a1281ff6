namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// A prepared partner's question for the owner's decision (<see cref="ContractMessageKind.OutcomeQuery"/>), repeated
/// while it holds the transfer prepared and hears nothing. The owner answers from its journal: commit, abort, or abort
/// for a transfer id it does not know (it journals every offer before sending it, so an unknown id was never offered).
/// An owner still deciding does not answer; it decides by the offer's decide-by deadline.
/// </summary>
/// <remarks>Wire layout (network byte order, <see cref="Size"/> = 12 bytes): the transfer id (owner u32, sequence u64).</remarks>
/// <param name="Transfer">The transfer asked about.</param>
public readonly record struct ContractOutcomeQuery(TransferId Transfer)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = TransferId.Size;

    /// <summary>Writes the query; false when <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination) => Transfer.TryWrite(destination);

    /// <summary>Parses a query; false when short or the transfer id is invalid.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ContractOutcomeQuery query)
    {
        bool ok = TransferId.TryRead(source, out TransferId transfer);
        query = ok ? new ContractOutcomeQuery(transfer) : default;
        return ok;
    }
}
