namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// The owner's decision on a transfer: <see cref="ContractMessageKind.Commit"/> (journalled as committed: the units are
/// the partner's and the owner will never run them) or <see cref="ContractMessageKind.Abort"/> (journalled as aborted:
/// the owner runs them itself). Sent after the owner journalled it, again on every accept or outcome query of the
/// transfer.
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="Size"/> = 12 bytes): the transfer id (owner u32, sequence u64). Commit
/// or abort is the message kind (<see cref="ContractMessage"/>).
/// </remarks>
/// <param name="Transfer">The transfer decided.</param>
/// <param name="Commit">True for a commit, false for an abort.</param>
public readonly record struct ContractDecision(TransferId Transfer, bool Commit)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = TransferId.Size;

    /// <summary>Writes the decision; false when <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination) => Transfer.TryWrite(destination);

    /// <summary>Parses a decision of <paramref name="kind"/>; false when short, the transfer id is invalid, or the kind is
    /// neither commit nor abort.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, ContractMessageKind kind, out ContractDecision decision)
    {
        decision = default;
        if (kind is not (ContractMessageKind.Commit or ContractMessageKind.Abort) || !TransferId.TryRead(source, out TransferId transfer))
        {
            return false;
        }

        decision = new ContractDecision(transfer, kind == ContractMessageKind.Commit);
        return true;
    }
}
