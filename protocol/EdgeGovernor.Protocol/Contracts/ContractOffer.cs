using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// An offer of units under a contract (<see cref="ContractMessageKind.Offer"/>): the owner asks its partner to take
/// <see cref="Units"/> units of <see cref="JobClass"/> at <see cref="UnitPriceMicros"/> each, to be run by
/// <see cref="RunByMs"/>; the owner decides at <see cref="DecideByMs"/> at the latest (no accept by then: it runs the
/// units itself). The owner journals the offer before it is sent; retransmissions carry the same bytes.
/// </summary>
/// <remarks>
/// Wire layout (network byte order, <see cref="Size"/> = 41 bytes):
/// <code>
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |                      transfer id (12 bytes: owner u32, sequence u64; see TransferId)                      |
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |      contract id (u32)            | class  |          units (u32)              |
/// +--------+--------+--------+--------+--------+--------+--------+--------+--------+
/// |   unit price (u32, micros of the run's currency) |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |               decide-by (unix ms, i64)                                |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// |               run-by (unix ms, i64)                                   |
/// +--------+--------+--------+--------+--------+--------+--------+--------+
/// </code>
/// <see cref="TryRead"/> checks every field against <see cref="ContractLimits"/>: valid transfer id, contract id not
/// 0, class 0..63, units 1..<see cref="ContractLimits.MaxUnits"/>, price at most
/// <see cref="ContractLimits.MaxUnitPriceMicros"/>, deadlines plausible and ordered
/// (<see cref="ContractLimits.AreDeadlinesPlausible"/>). The contract's own cap, range and classes are checked by the
/// receiver's <see cref="ContractExchange"/> (a refusal, not a drop).
/// </remarks>
/// <param name="Transfer">The transfer's idempotent id.</param>
/// <param name="ContractId">The contract's id, the same in both partners' configurations (1..2^32-1).</param>
/// <param name="JobClass">The units' job class (0..63).</param>
/// <param name="Units">Units offered.</param>
/// <param name="UnitPriceMicros">Price per unit, in millionths of the run's currency.</param>
/// <param name="DecideByMs">The owner decides by then (unix ms): commit if accepted, else abort and run the units itself.</param>
/// <param name="RunByMs">The units must be run by then (unix ms; their deadline).</param>
public readonly record struct ContractOffer(
    TransferId Transfer,
    uint ContractId,
    byte JobClass,
    uint Units,
    uint UnitPriceMicros,
    long DecideByMs,
    long RunByMs)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = TransferId.Size + 29;

    /// <summary>The payment for the whole transfer, in micros (<see cref="Units"/> × <see cref="UnitPriceMicros"/>).</summary>
    public long PaymentMicros => ContractLimits.Payment(Units, UnitPriceMicros);

    /// <summary>True when every field is within <see cref="ContractLimits"/> (what <see cref="TryRead"/> accepts).</summary>
    public bool IsWellFormed =>
        Transfer.IsValid
        && ContractId != 0
        && JobClass <= ContractLimits.MaxJobClass
        && Units is >= 1 and <= ContractLimits.MaxUnits
        && UnitPriceMicros <= ContractLimits.MaxUnitPriceMicros
        && ContractLimits.AreDeadlinesPlausible(DecideByMs, RunByMs);

    /// <summary>Writes the offer; false when <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size || !Transfer.TryWrite(destination))
        {
            return false;
        }

        Span<byte> d = destination[TransferId.Size..];
        BinaryPrimitives.WriteUInt32BigEndian(d, ContractId);
        d[4] = JobClass;
        BinaryPrimitives.WriteUInt32BigEndian(d[5..], Units);
        BinaryPrimitives.WriteUInt32BigEndian(d[9..], UnitPriceMicros);
        BinaryPrimitives.WriteInt64BigEndian(d[13..], DecideByMs);
        BinaryPrimitives.WriteInt64BigEndian(d[21..], RunByMs);
        return true;
    }

    /// <summary>Parses and validates an offer; false (never an exception) when the input is shorter than
    /// <see cref="Size"/> or a field is out of range (see the remarks).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ContractOffer offer)
    {
        offer = default;
        if (source.Length < Size || !TransferId.TryRead(source, out TransferId transfer))
        {
            return false;
        }

        ReadOnlySpan<byte> s = source[TransferId.Size..];
        var read = new ContractOffer(
            transfer,
            BinaryPrimitives.ReadUInt32BigEndian(s),
            s[4],
            BinaryPrimitives.ReadUInt32BigEndian(s[5..]),
            BinaryPrimitives.ReadUInt32BigEndian(s[9..]),
            BinaryPrimitives.ReadInt64BigEndian(s[13..]),
            BinaryPrimitives.ReadInt64BigEndian(s[21..]));
        if (!read.IsWellFormed)
        {
            return false;
        }

        offer = read;
        return true;
    }
}
