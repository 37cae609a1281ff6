namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// A partner's answer to an offer: <see cref="ContractMessageKind.Accept"/> (it journalled the transfer as prepared and
/// reserved the capacity) or <see cref="ContractMessageKind.Refuse"/> (with the reason; nothing was journalled).
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="Size"/> = 13 bytes):
/// <code>
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |                      transfer id (12 bytes: owner u32, sequence u64)                                 | reason |
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// </code>
/// The reason is 0 in an accept and a defined <see cref="RefuseReason"/> other than 0 in a refusal; anything else is
/// malformed. Whether it is an accept comes from the message kind (<see cref="ContractMessage"/>).
/// </remarks>
/// <param name="Transfer">The transfer answered.</param>
/// <param name="Reason"><see cref="RefuseReason.None"/> for an accept.</param>
public readonly record struct ContractAnswer(TransferId Transfer, RefuseReason Reason)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = TransferId.Size + 1;

    /// <summary>True for an accept.</summary>
    public bool Accepted => Reason == RefuseReason.None;

    /// <summary>Writes the answer; false when <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size || !Transfer.TryWrite(destination))
        {
            return false;
        }

        destination[TransferId.Size] = (byte)Reason;
        return true;
    }

    /// <summary>Parses an answer of <paramref name="kind"/> (accept or refuse); false when short, the transfer id is
    /// invalid, or the reason does not fit the kind.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, ContractMessageKind kind, out ContractAnswer answer)
    {
        answer = default;
        if (source.Length < Size || !TransferId.TryRead(source, out TransferId transfer))
        {
            return false;
        }

        var reason = (RefuseReason)source[TransferId.Size];
        bool fits = kind switch
        {
            ContractMessageKind.Accept => reason == RefuseReason.None,
            ContractMessageKind.Refuse => reason is > RefuseReason.None and <= RefuseReason.Busy,
            _ => false,
        };
        if (!fits)
        {
            return false;
        }

        answer = new ContractAnswer(transfer, reason);
        return true;
    }
}
