using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Contracts;

public sealed class ContractMessageTests
{
    private const long T0 = 1_717_200_000_000; // 2024-06-01
    private static readonly NodeId A = new(1);
    private static readonly NodeId B = new(2);
    private static readonly TransferId Id = new(A, 7);
    private static readonly ContractOffer Offer = new(Id, 11, 3, 40, 15_000, T0 + 60_000, T0 + 3_600_000);

    public static TheoryData<ContractMessage> AllKinds() =>
    [
        ContractMessage.ForOffer(B, Offer),
        ContractMessage.ForAnswer(B, Id, RefuseReason.None),
        ContractMessage.ForAnswer(B, Id, RefuseReason.PriceOutOfRange),
        ContractMessage.ForDecision(B, Id, commit: true),
        ContractMessage.ForDecision(B, Id, commit: false),
        ContractMessage.ForDone(B, Id, 39),
        ContractMessage.ForAck(B, Id),
        ContractMessage.ForQuery(B, Id),
    ];

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Every_kind_round_trips_and_verifies_with_its_senders_key(ContractMessage message)
    {
        byte[] buffer = new byte[ContractMessage.MaxSize];
        int length = message.TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(message.From.Value));

        Assert.Equal(message.EncodedSize, length);
        Assert.True(ContractMessage.TryRead(buffer.AsSpan(0, length), out ContractMessage read));
        Assert.Equal(message, read);
        Assert.True(ContractMessage.VerifySignature(buffer.AsSpan(0, length), TestKeys.Cluster, TestKeys.Roster));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void A_flipped_bit_anywhere_or_another_cluster_or_another_key_fails_verification(ContractMessage message)
    {
        byte[] buffer = new byte[ContractMessage.MaxSize];
        int length = message.TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(message.From.Value));
        Assert.False(ContractMessage.VerifySignature(buffer.AsSpan(0, length), TestKeys.Cluster + 1, TestKeys.Roster));

        for (int i = 0; i < length; i++)
        {
            byte[] copy = buffer[..length];
            copy[i] ^= 0x10;
            Assert.False(ContractMessage.VerifySignature(copy, TestKeys.Cluster, TestKeys.Roster), $"byte {i}");
        }

        int forged = message.TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(9));
        Assert.False(ContractMessage.VerifySignature(buffer.AsSpan(0, forged), TestKeys.Cluster, TestKeys.Roster));
    }

    [Fact]
    public void The_offer_has_its_documented_layout()
    {
        byte[] buffer = new byte[ContractOffer.Size];
        Assert.True(Offer.TryWrite(buffer));
        Assert.Equal(41, ContractOffer.Size);
        Assert.Equal(Convert.FromHexString("00000001" + "0000000000000007" + "0000000B" + "03" + "00000028" + "00003A98"), buffer[..25]);
        Assert.False(Offer.TryWrite(new byte[ContractOffer.Size - 1]));
        Assert.False(ContractOffer.TryRead(buffer.AsSpan(0, ContractOffer.Size - 1), out _));
    }

    public static TheoryData<string, ContractOffer> BadOffers() => new()
    {
        { "owner 0", Offer with { Transfer = new TransferId(NodeId.None, 7) } },
        { "sequence 0", Offer with { Transfer = new TransferId(A, 0) } },
        { "sequence above 2^63-1", Offer with { Transfer = new TransferId(A, ulong.MaxValue) } },
        { "contract 0", Offer with { ContractId = 0 } },
        { "class 64", Offer with { JobClass = 64 } },
        { "no units", Offer with { Units = 0 } },
        { "too many units", Offer with { Units = ContractLimits.MaxUnits + 1 } },
        { "price above the limit", Offer with { UnitPriceMicros = ContractLimits.MaxUnitPriceMicros + 1 } },
        { "run-by before decide-by", Offer with { RunByMs = Offer.DecideByMs - 1 } },
        { "run-by equal to decide-by", Offer with { RunByMs = Offer.DecideByMs } },
        { "decide-by before 2000", Offer with { DecideByMs = 0 } },
        { "run-by after 2200", Offer with { DecideByMs = ContractLimits.MaxDeadlineMs - 10, RunByMs = ContractLimits.MaxDeadlineMs + 1 } },
        { "run span above 7 days", Offer with { RunByMs = Offer.DecideByMs + ContractLimits.MaxRunSpanMs + 1 } },
    };

    [Theory]
    [MemberData(nameof(BadOffers))]
    public void An_offer_with_a_field_out_of_range_is_not_read(string why, ContractOffer offer)
    {
        byte[] buffer = new byte[ContractOffer.Size];
        Assert.True(offer.TryWrite(buffer), why);
        Assert.False(ContractOffer.TryRead(buffer, out _), why);

        byte[] message = new byte[ContractMessage.MaxSize];
        int length = new ContractMessage(ContractMessageKind.Offer, A, B, offer.Transfer, offer).TryWrite(message, TestKeys.Cluster, TestKeys.Signer(1));
        Assert.False(ContractMessage.TryRead(message.AsSpan(0, length), out _), why);
    }

    [Fact]
    public void Envelopes_that_do_not_fit_their_kind_are_not_read()
    {
        byte[] buffer = new byte[ContractMessage.MaxSize];
        int length = ContractMessage.ForDecision(B, Id, commit: true).TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(1));
        Assert.True(ContractMessage.TryRead(buffer.AsSpan(0, length), out _));

        Assert.False(ContractMessage.TryRead(buffer.AsSpan(0, length - 1), out _), "short");
        Assert.False(ContractMessage.TryRead(buffer.AsSpan(0, length + 1), out _), "long");
        Assert.False(ContractMessage.TryRead([], out _), "empty");

        byte[] unknownKind = buffer[..length];
        unknownKind[0] = 9;
        Assert.False(ContractMessage.TryRead(unknownKind, out _), "unknown kind");

        // A commit must come from the transfer's owner; B is not its owner.
        length = new ContractMessage(ContractMessageKind.Commit, B, A, Id).TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(2));
        Assert.False(ContractMessage.TryRead(buffer.AsSpan(0, length), out _), "commit not from the owner");

        length = new ContractMessage(ContractMessageKind.Accept, A, A, Id).TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(1));
        Assert.False(ContractMessage.TryRead(buffer.AsSpan(0, length), out _), "to itself");

        length = new ContractMessage(ContractMessageKind.Refuse, B, A, Id, Reason: RefuseReason.None).TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(2));
        Assert.False(ContractMessage.TryRead(buffer.AsSpan(0, length), out _), "refusal without a reason");

        length = new ContractMessage(ContractMessageKind.Accept, B, A, Id, Reason: RefuseReason.Busy).TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(2));
        Assert.False(ContractMessage.TryRead(buffer.AsSpan(0, length), out _), "accept with a reason");

        length = new ContractMessage(ContractMessageKind.Refuse, B, A, Id, Reason: (RefuseReason)200).TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(2));
        Assert.False(ContractMessage.TryRead(buffer.AsSpan(0, length), out _), "undefined reason");

        length = ContractMessage.ForDone(B, Id, ContractLimits.MaxUnits + 1).TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(2));
        Assert.False(ContractMessage.TryRead(buffer.AsSpan(0, length), out _), "units run above the limit");
    }

    [Fact]
    public void Writing_into_a_short_buffer_writes_nothing()
    {
        ContractMessage offer = ContractMessage.ForOffer(B, Offer);
        Assert.Equal(0, offer.TryWrite(new byte[offer.EncodedSize - 1], TestKeys.Cluster, TestKeys.Signer(1)));
        Assert.Equal(ContractMessage.MaxSize, offer.EncodedSize);
    }

    [Fact]
    public void Journal_records_round_trip_and_malformed_ones_are_not_read()
    {
        var good = new ContractJournalRecord(ContractJournalKind.Done, ContractRole.Receiver, A, Offer, 40);
        byte[] buffer = new byte[ContractJournalRecord.Size];
        Assert.True(good.TryWrite(buffer));
        Assert.True(ContractJournalRecord.TryRead(buffer, out ContractJournalRecord read));
        Assert.Equal(good, read);
        Assert.False(ContractJournalRecord.TryRead(buffer.AsSpan(0, ContractJournalRecord.Size - 1), out _));

        ContractJournalRecord[] bad =
        [
            good with { UnitsRun = 41 },                                   // more run than offered
            good with { Kind = ContractJournalKind.Prepared },             // units run in a record that has none
            good with { Role = ContractRole.Owner },                       // an owner never journals done
            good with { Partner = B },                                     // a receiver's partner is the owner
            good with { Kind = (ContractJournalKind)9, UnitsRun = 0 },
            good with { Role = (ContractRole)3 },
            new ContractJournalRecord(ContractJournalKind.Offered, ContractRole.Owner, A, Offer), // offered to itself
            good with { Offer = Offer with { Units = 0 }, UnitsRun = 0 },
        ];
        foreach (ContractJournalRecord record in bad)
        {
            Assert.True(record.TryWrite(buffer));
            Assert.False(ContractJournalRecord.TryRead(buffer, out _), record.ToString());
        }
    }
}
