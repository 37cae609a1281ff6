using System.Buffers.Binary;

namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// One journalled step of one transfer on one side (<see cref="IContractJournal"/>). Self-contained: every record carries
/// the whole offer, so the state of a transfer is the offer of its first record and the kind of its last. The exchange
/// returns it as a <see cref="ContractEffectKind.Journal"/> effect, which its host appends durably before it carries out
/// the effects that follow; on restart the exchange rebuilds its transfers, ledger and next sequence from the records.
/// </summary>
/// <remarks>
/// Encoding (network byte order, <see cref="Size"/> = 51 bytes; a file adds its own framing and checksum):
/// <code>
/// +--------+--------+--------+--------+--------+--------+
/// |  kind  |  role  |      partner node id (u32)        |
/// +--------+--------+--------+--------+--------+--------+
/// |  the offer (41 bytes, ContractOffer's layout: transfer id, contract, class, units, price, decide-by, run-by) ...
/// +--------+--------+--------+--------+--------+--------+
/// |        units run (u32)            |
/// +--------+--------+--------+--------+
/// </code>
/// A <see cref="ContractJournalKind.LedgerCarry"/> record (compaction) holds no offer; bytes 6.. are instead units,
/// micros and units run (i64 each), the last sequence (u64; 0 in the receiver direction) and 13 zero bytes:
/// <code>
/// |  kind  |  role  | partner (u32) | units i64 | micros i64 | units run i64 | last sequence u64 | 0 x 13 |
/// </code>
/// <see cref="TryRead"/> checks: a defined kind, a role that can journal it (owner: offered, committed, aborted,
/// settled; receiver: prepared, committed, aborted, done, closed), a well-formed offer
/// (<see cref="ContractOffer.IsWellFormed"/>), the partner a node other than the owner for the owner's records and the
/// transfer's owner for the receiver's, units run at most the offer's units and 0 except in done and settled records;
/// a carry record: a valid partner, no offer, units, micros and units run within 0..<see cref="MaxCarry"/>, units run
/// at most units, the sequence within <see cref="ContractLimits.MaxSequence"/> and 0 in the receiver direction.
/// </remarks>
/// <param name="Kind">The step.</param>
/// <param name="Role">The journalling side.</param>
/// <param name="Partner">The other side's node id.</param>
/// <param name="Offer">The transfer's offer (its id included).</param>
/// <param name="UnitsRun">Units the receiver ran (<see cref="ContractJournalKind.Done"/>, <see cref="ContractJournalKind.Settled"/>).</param>
public readonly record struct ContractJournalRecord(
    ContractJournalKind Kind,
    ContractRole Role,
    NodeId Partner,
    ContractOffer Offer,
    uint UnitsRun = 0)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = 6 + ContractOffer.Size + 4;

    /// <summary>Largest carried total (units, micros): far above what a board books in its life, far below overflow.</summary>
    public const long MaxCarry = 1L << 60;

    /// <summary>Carry records only: units carried (out for the owner direction, in for the receiver direction).</summary>
    public long CarryUnits { get; init; }

    /// <summary>Carry records only: micros carried (paid for the owner direction, received for the receiver direction).</summary>
    public long CarryMicros { get; init; }

    /// <summary>Carry records only: of the carried units, units run (by the partner / for the partner).</summary>
    public long CarryUnitsRun { get; init; }

    /// <summary>Carry records only, owner direction: the last transfer sequence this board had used.</summary>
    public ulong CarrySequence { get; init; }

    /// <summary>A <see cref="ContractJournalKind.LedgerCarry"/> record.</summary>
    public static ContractJournalRecord ForCarry(ContractRole direction, NodeId partner, long units, long micros, long unitsRun, ulong lastSequence) =>
        new(ContractJournalKind.LedgerCarry, direction, partner, default)
        {
            CarryUnits = units,
            CarryMicros = micros,
            CarryUnitsRun = unitsRun,
            CarrySequence = lastSequence,
        };

    /// <summary>The transfer the record belongs to.</summary>
    public TransferId Transfer => Offer.Transfer;

    /// <summary>True when the record is one <see cref="TryRead"/> accepts (see the remarks).</summary>
    public bool IsWellFormed
    {
        get
        {
            if (Kind == ContractJournalKind.LedgerCarry)
            {
                return Role is ContractRole.Owner or ContractRole.Receiver && Partner.IsValid && Offer == default && UnitsRun == 0
                    && CarryUnits is >= 0 and <= MaxCarry && CarryMicros is >= 0 and <= MaxCarry && CarryUnitsRun >= 0 && CarryUnitsRun <= CarryUnits
                    && CarrySequence <= ContractLimits.MaxSequence && (Role == ContractRole.Owner || CarrySequence == 0);
            }

            bool kindFits = Role switch
            {
                ContractRole.Owner => Kind is ContractJournalKind.Offered or ContractJournalKind.Committed or ContractJournalKind.Aborted or ContractJournalKind.Settled,
                ContractRole.Receiver => Kind is ContractJournalKind.Prepared or ContractJournalKind.Committed or ContractJournalKind.Aborted
                    or ContractJournalKind.Done or ContractJournalKind.Closed,
                _ => false,
            };
            bool partnerFits = Partner.IsValid && (Role == ContractRole.Owner ? Partner != Offer.Transfer.Owner : Partner == Offer.Transfer.Owner);
            bool unitsFit = Kind is ContractJournalKind.Done or ContractJournalKind.Settled ? UnitsRun <= Offer.Units : UnitsRun == 0;
            return kindFits && Offer.IsWellFormed && partnerFits && unitsFit;
        }
    }

    /// <summary>Writes the record; false when <paramref name="destination"/> is shorter than <see cref="Size"/>.</summary>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            return false;
        }

        destination[0] = (byte)Kind;
        destination[1] = (byte)Role;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], Partner.Value);
        if (Kind == ContractJournalKind.LedgerCarry)
        {
            BinaryPrimitives.WriteInt64BigEndian(destination[6..], CarryUnits);
            BinaryPrimitives.WriteInt64BigEndian(destination[14..], CarryMicros);
            BinaryPrimitives.WriteInt64BigEndian(destination[22..], CarryUnitsRun);
            BinaryPrimitives.WriteUInt64BigEndian(destination[30..], CarrySequence);
            destination[38..Size].Clear();
            return true;
        }

        if (!Offer.TryWrite(destination[6..]))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination[(6 + ContractOffer.Size)..], UnitsRun);
        return true;
    }

    /// <summary>Parses and validates a record; false (never an exception) when shorter than <see cref="Size"/> or not
    /// well-formed (see the remarks).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ContractJournalRecord record)
    {
        record = default;
        if (source.Length >= Size && source[0] == (byte)ContractJournalKind.LedgerCarry)
        {
            var carry = ForCarry(
                (ContractRole)source[1],
                new NodeId(BinaryPrimitives.ReadUInt32BigEndian(source[2..])),
                BinaryPrimitives.ReadInt64BigEndian(source[6..]),
                BinaryPrimitives.ReadInt64BigEndian(source[14..]),
                BinaryPrimitives.ReadInt64BigEndian(source[22..]),
                BinaryPrimitives.ReadUInt64BigEndian(source[30..]));
            if (!carry.IsWellFormed || source[38..Size].ContainsAnyExcept((byte)0))
            {
                return false;
            }

            record = carry;
            return true;
        }

        if (source.Length < Size || !ContractOffer.TryRead(source[6..], out ContractOffer offer))
        {
            return false;
        }

        var read = new ContractJournalRecord(
            (ContractJournalKind)source[0],
            (ContractRole)source[1],
            new NodeId(BinaryPrimitives.ReadUInt32BigEndian(source[2..])),
            offer,
            BinaryPrimitives.ReadUInt32BigEndian(source[(6 + ContractOffer.Size)..]));
        if (!read.IsWellFormed)
        {
            return false;
        }

        record = read;
        return true;
    }
}
