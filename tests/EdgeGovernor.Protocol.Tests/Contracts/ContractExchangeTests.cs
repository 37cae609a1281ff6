using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Tests.Support;

namespace EdgeGovernor.Protocol.Tests.Contracts;

public sealed class ContractExchangeTests
{
    private const long T0 = ContractPair.T0;
    private const long DecideBy = ContractPair.DecideBy;
    private const long RunBy = ContractPair.RunBy;
    private const uint Price = ContractPair.Price;

    private static readonly ContractTerms AtA = ContractPair.AtA;
    private static readonly ContractTerms AtB = ContractPair.AtB;

    private readonly ContractBoard _a = new(1, T0, AtA) { Now = T0 };
    private readonly ContractBoard _b = new(2, T0, AtB) { Now = T0 };

    private static void Deliver(ContractBoard from, ContractBoard to) => ContractPair.Deliver(from, to);

    private TransferId OfferFromA(uint units = 10)
    {
        Assert.True(_a.Offer(11, units, Price, DecideBy, RunBy, out TransferId id));
        Assert.True(_a.Apply());
        return id;
    }

    [Fact]
    public void A_transfer_goes_offer_accept_commit_done_ack_with_each_journal_before_the_send_that_depends_on_it()
    {
        TransferId id = OfferFromA();
        Assert.Equal(new TransferId(_a.Id, 1), id);
        Assert.Equal([ContractEffectKind.Journal, ContractEffectKind.Send], _a.Log);
        Assert.Equal(ContractJournalKind.Offered, _a.Journal.ReadAll()[0].Kind);

        Deliver(_a, _b); // B judges, prepares, accepts
        Assert.Equal([ContractEffectKind.Judge, ContractEffectKind.Journal, ContractEffectKind.Send], _b.Log);
        Assert.Equal(ContractJournalKind.Prepared, _b.Journal.ReadAll()[0].Kind);
        Assert.Equal(ContractMessageKind.Accept, _b.Outbox[0].Kind);

        _a.Log.Clear();
        Deliver(_b, _a); // A commits
        Assert.Equal([ContractEffectKind.Journal, ContractEffectKind.Send, ContractEffectKind.Committed], _a.Log);
        Assert.Equal(ContractMessageKind.Commit, _a.Outbox[0].Kind);

        _b.Log.Clear();
        Deliver(_a, _b); // B commits, runs the units, reports done
        Assert.Equal([ContractEffectKind.Journal, ContractEffectKind.Committed, ContractEffectKind.Journal, ContractEffectKind.Send], _b.Log);
        Assert.True(_b.RanAsReceiver.ContainsKey(id));
        Assert.Equal(ContractMessageKind.Done, _b.Outbox[0].Kind);

        Deliver(_b, _a); // A settles, acknowledges
        Deliver(_a, _b); // B closes

        Assert.True(_a.Exchange.TryGetTransfer(id, out ContractTransfer atA));
        Assert.Equal(TransferState.Settled, atA.State);
        Assert.True(_b.Exchange.TryGetTransfer(id, out ContractTransfer atB));
        Assert.Equal(TransferState.Closed, atB.State);
        Assert.Empty(_a.RanAsOwner);
        Assert.Equal(0, _a.Exchange.OpenTransfers + _b.Exchange.OpenTransfers);

        ContractLedgerEntry ledgerA = _a.Exchange.Ledger(_b.Id);
        ContractLedgerEntry ledgerB = _b.Exchange.Ledger(_a.Id);
        Assert.Equal(new ContractLedgerEntry(_b.Id, 10, 150_000, 10, 0, 0, 0), ledgerA);
        Assert.True(ledgerA.AgreesWith(ledgerB));
        Assert.Equal(long.MaxValue, _a.Exchange.NextDeadlineMs);
        Assert.Equal(long.MaxValue, _b.Exchange.NextDeadlineMs);
    }

    [Theory]
    [InlineData(4_999u, 10u, 0, RefuseReason.PriceOutOfRange)]
    [InlineData(25_001u, 10u, 0, RefuseReason.PriceOutOfRange)]
    [InlineData(15_000u, 41u, 0, RefuseReason.OverUnitCap)]
    [InlineData(15_000u, 10u, 1, RefuseReason.ClassNotAccepted)]
    public void An_offer_outside_the_receivers_copy_of_the_contract_is_refused_without_asking_the_policy(uint price, uint units, byte jobClass, RefuseReason reason)
    {
        // A's copy is generous (it allows what B's does not); B checks against its own copy.
        var generous = new ContractBoard(1, T0, AtA with { PriceMinMicros = 0, PriceMaxMicros = 100_000, MaxUnits = 100, ClassesOut = 3 }) { Now = T0 };
        Assert.True(generous.Exchange.TryOffer(11, jobClass, units, price, DecideBy, RunBy, T0, generous.Effects, out TransferId id));
        Assert.True(generous.Apply());
        _b.Policy = _ => throw new InvalidOperationException("the policy must not be asked");

        Deliver(generous, _b);
        Assert.Empty(_b.Journal.ReadAll());
        Assert.Equal(ContractMessageKind.Refuse, _b.Outbox[0].Kind);
        Assert.Equal(1, _b.Exchange.Counters.OffersRefused);

        Deliver(_b, generous);
        Assert.True(generous.Exchange.TryGetTransfer(id, out ContractTransfer t));
        Assert.Equal(TransferState.Aborted, t.State);
        Assert.True(generous.RanAsOwner.ContainsKey(id));
        Assert.Equal(1, generous.Exchange.Counters.RefusalsReceived);
        Assert.Empty(generous.Outbox); // nothing prepared: no abort to send
        _ = reason;
    }

    [Fact]
    public void The_owner_will_not_offer_outside_its_own_copy()
    {
        Assert.Equal([AtA], _a.Exchange.Contracts);
        Assert.Throws<ArgumentException>(() => _a.Exchange.AddContract(AtA with { PriceMinMicros = 1 })); // id taken
        Assert.Throws<ArgumentException>(() => _a.Exchange.AddContract(AtA with { ContractId = 12, Partner = _a.Id })); // with itself
        Assert.False(_a.Exchange.TryOffer(12, 0, 10, Price, DecideBy, RunBy, T0, _a.Effects, out _), "unknown contract");
        Assert.False(_a.Exchange.TryOffer(11, 1, 10, Price, DecideBy, RunBy, T0, _a.Effects, out _), "class not offered");
        Assert.False(_a.Exchange.TryOffer(11, 0, 41, Price, DecideBy, RunBy, T0, _a.Effects, out _), "above the cap");
        Assert.False(_a.Exchange.TryOffer(11, 0, 0, Price, DecideBy, RunBy, T0, _a.Effects, out _), "no units");
        Assert.False(_a.Exchange.TryOffer(11, 0, 10, 30_000, DecideBy, RunBy, T0, _a.Effects, out _), "price above the range");
        Assert.False(_a.Exchange.TryOffer(11, 0, 10, Price, T0, RunBy, T0, _a.Effects, out _), "decide-by not in the future");
        Assert.False(_a.Exchange.TryOffer(11, 0, 10, Price, RunBy, DecideBy, T0, _a.Effects, out _), "deadlines unordered");
        Assert.False(_a.Exchange.TryOffer(11, 0, 10, Price, T0 + 86_400_001, T0 + 86_500_000, T0 + 86_400_000, _a.Effects, out _), "contract expired");
        Assert.Equal(0, _a.Effects.Count);
    }

    [Fact]
    public void The_policy_refusing_answers_with_its_reason_and_journals_nothing()
    {
        _b.Policy = _ => RefuseReason.Declined;
        TransferId id = OfferFromA();
        Deliver(_a, _b);
        Assert.Empty(_b.Journal.ReadAll());
        Deliver(_b, _a);
        Assert.True(_a.Exchange.TryGetTransfer(id, out ContractTransfer t));
        Assert.Equal(TransferState.Aborted, t.State);
        Assert.False(_b.Exchange.TryGetTransfer(id, out _));
    }

    [Fact]
    public void No_answer_by_the_decide_by_deadline_aborts_and_the_owner_runs_the_units_and_a_late_accept_is_told_abort()
    {
        TransferId id = OfferFromA();
        Deliver(_a, _b); // B prepared; its accept is lost
        _b.Outbox.Clear();

        _a.Now = DecideBy - 1;
        _a.Tick();
        Assert.True(_a.Apply());
        Assert.Equal(ContractMessageKind.Offer, Assert.Single(_a.Outbox).Kind); // retransmitted
        Assert.Empty(_a.RanAsOwner);
        Deliver(_a, _b); // duplicate offer: B (prepared) accepts again, journals nothing more
        Assert.Single(_b.Journal.ReadAll());
        _b.Outbox.Clear(); // lost again

        _a.Now = DecideBy;
        _a.Tick();
        Assert.True(_a.Apply());
        Assert.True(_a.RanAsOwner.ContainsKey(id));
        Assert.Equal(ContractJournalKind.Aborted, _a.Journal.ReadAll()[^1].Kind);
        Assert.Equal(1, _a.Exchange.Counters.DeadlineAborts);
        Assert.Equal(ContractMessageKind.Abort, Assert.Single(_a.Outbox).Kind);
        _a.Outbox.Clear(); // the abort is lost too

        // B, prepared and hearing nothing, asks; A answers from its journal.
        _b.Now = T0 + 2_000;
        _b.Tick();
        Assert.True(_b.Apply());
        Assert.Equal(ContractMessageKind.OutcomeQuery, Assert.Single(_b.Outbox).Kind);
        Deliver(_b, _a);
        Assert.Equal(ContractMessageKind.Abort, Assert.Single(_a.Outbox).Kind);
        Deliver(_a, _b);
        Assert.True(_b.Exchange.TryGetTransfer(id, out ContractTransfer atB));
        Assert.Equal(TransferState.Aborted, atB.State);
        Assert.Empty(_b.RanAsReceiver);

        // A stale accept after the abort is answered with the abort again, nothing journalled.
        int journalled = _a.Journal.Count;
        _b.Receive(_a.Id, ResignedOffer(id));
        Assert.True(_b.Apply());
        Assert.Empty(_b.Outbox); // an aborted receiver does not accept again
        Assert.Equal(journalled, _a.Journal.Count);
    }

    private byte[] ResignedOffer(TransferId id)
    {
        Assert.True(_a.Exchange.TryGetTransfer(id, out ContractTransfer t));
        byte[] buffer = new byte[ContractMessage.MaxSize];
        int length = ContractMessage.ForOffer(_b.Id, t.Offer).TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(1));
        return buffer[..length];
    }

    [Fact]
    public void An_accept_arriving_at_the_decide_by_deadline_before_the_tick_aborts()
    {
        TransferId id = OfferFromA();
        Deliver(_a, _b);
        _a.Now = DecideBy;
        Deliver(_b, _a);
        Assert.True(_a.Exchange.TryGetTransfer(id, out ContractTransfer t));
        Assert.Equal(TransferState.Aborted, t.State);
        Assert.Equal(ContractMessageKind.Abort, Assert.Single(_a.Outbox).Kind);
        Assert.True(_a.RanAsOwner.ContainsKey(id));
    }

    [Fact]
    public void Duplicates_of_every_step_are_answered_from_the_state_and_journal_nothing()
    {
        TransferId id = OfferFromA();
        byte[] offer = _a.Outbox[0].Payload;
        Deliver(_a, _b);
        byte[] accept = _b.Outbox[0].Payload;
        Deliver(_b, _a);
        byte[] commit = _a.Outbox[0].Payload;
        Deliver(_a, _b);
        byte[] done = _b.Outbox[0].Payload;
        Deliver(_b, _a);
        byte[] ack = _a.Outbox[0].Payload;
        Deliver(_a, _b);
        int journalA = _a.Journal.Count;
        int journalB = _b.Journal.Count;

        _b.Receive(_a.Id, offer);
        _b.Receive(_a.Id, commit);
        _b.Receive(_a.Id, ack);
        Assert.True(_b.Apply());
        _a.Receive(_b.Id, accept);
        _a.Receive(_b.Id, done);
        Assert.True(_a.Apply());

        Assert.Equal(journalA, _a.Journal.Count);
        Assert.Equal(journalB, _b.Journal.Count);
        Assert.Equal([ContractMessageKind.Accept], _b.Outbox.Select(m => m.Kind));
        Assert.Equal([ContractMessageKind.Commit, ContractMessageKind.Ack], _a.Outbox.Select(m => m.Kind));
        Assert.Single(_b.RanAsReceiver);
        Assert.Empty(_a.RanAsOwner);
        Assert.Equal(3, _b.Exchange.Counters.Duplicates);
        Assert.Equal(2, _a.Exchange.Counters.Duplicates);
        _ = id;
    }

    [Fact]
    public void An_outcome_query_for_an_unknown_id_is_answered_abort_and_one_still_offered_is_not_answered()
    {
        var unknown = new TransferId(_a.Id, 99);
        byte[] buffer = new byte[ContractMessage.MaxSize];
        int length = ContractMessage.ForQuery(_b.Id, unknown).TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(2));
        _a.Receive(_b.Id, buffer[..length]);
        Assert.True(_a.Apply());
        (NodeId to, byte[] payload, ContractMessageKind kind) = Assert.Single(_a.Outbox);
        Assert.Equal(ContractMessageKind.Abort, kind);
        Assert.Equal(_b.Id, to);
        Assert.True(ContractMessage.TryRead(payload, out ContractMessage abort));
        Assert.Equal(unknown, abort.Transfer);
        _a.Outbox.Clear();

        TransferId id = OfferFromA();
        _a.Outbox.Clear();
        length = ContractMessage.ForQuery(_b.Id, id).TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(2));
        _a.Receive(_b.Id, buffer[..length]);
        Assert.True(_a.Apply());
        Assert.Empty(_a.Outbox);
    }

    [Fact]
    public void A_bad_signature_a_wrong_transport_sender_or_another_recipient_is_dropped_and_counted()
    {
        OfferFromA();
        byte[] offer = _a.Outbox[0].Payload;

        byte[] tampered = (byte[])offer.Clone();
        tampered[^1] ^= 1;
        _b.Receive(_a.Id, tampered);
        Assert.Equal(1, _b.Exchange.Counters.BadSignatures);

        _b.Receive(new NodeId(3), offer); // the transport says node 3 sent it
        Assert.Equal(1, _b.Exchange.Counters.Malformed);

        var c = new ContractBoard(3, T0, AtB with { Partner = new NodeId(1), ContractId = 11 }) { Now = T0 };
        c.Receive(_a.Id, offer); // addressed to B
        Assert.Equal(1, c.Exchange.Counters.Malformed);

        // Signed by A's key but claiming to come from C (a forged sender): C's key does not verify it.
        byte[] buffer = new byte[ContractMessage.MaxSize];
        int length = ContractMessage.ForAnswer(new NodeId(3), new TransferId(_a.Id, 1), RefuseReason.None).TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(1));
        _a.Receive(new NodeId(3), buffer[..length]);
        Assert.Equal(1, _a.Exchange.Counters.BadSignatures);

        Assert.Equal(0, _b.Effects.Count + c.Effects.Count + _a.Effects.Count);
    }

    [Fact]
    public void A_restarted_owner_continues_its_sequence_and_resends_its_open_offer_at_once()
    {
        OfferFromA();
        TransferId second = OfferFromA();
        _a.Outbox.Clear();
        _a.Crash();
        _a.Restart(T0 + 10);

        Assert.Equal(2UL, _a.Exchange.LastSequence);
        Assert.Equal(T0 + 10, _a.Exchange.NextDeadlineMs);
        _a.Tick();
        Assert.True(_a.Apply());
        Assert.Equal(2, _a.Outbox.Count(m => m.Kind == ContractMessageKind.Offer));

        Assert.True(_a.Offer(11, 5, Price, DecideBy, RunBy, out TransferId third));
        Assert.Equal(new TransferId(_a.Id, 3), third);
        _ = second;
    }

    [Fact]
    public void A_receiver_that_crashed_after_journalling_the_commit_but_before_running_runs_once_after_restart()
    {
        TransferId id = OfferFromA();
        Deliver(_a, _b);
        Deliver(_b, _a);
        byte[] commit = _a.Outbox[0].Payload;
        _a.Outbox.Clear();

        _b.Receive(_a.Id, commit);
        Assert.False(_b.Apply(crashAfter: 1)); // the commit is journalled, nothing after it happened
        Assert.Empty(_b.RanAsReceiver);

        _b.Restart(T0 + 100);
        Assert.True(_b.RanAsReceiver.ContainsKey(id));
        Assert.Equal(ContractMessageKind.Done, Assert.Single(_b.Outbox).Kind);
        _b.Receive(_a.Id, commit); // a late duplicate of the commit runs nothing again
        Assert.True(_b.Apply());
        Assert.Single(_b.RanAsReceiver);
    }

    [Fact]
    public void A_committed_unit_learnt_after_its_run_by_deadline_is_reported_not_run_and_both_ledgers_say_so()
    {
        TransferId id = OfferFromA();
        Deliver(_a, _b);
        Deliver(_b, _a);
        _a.Outbox.Clear(); // the commit is lost

        _b.Now = RunBy + 1;
        _b.Tick();
        Assert.True(_b.Apply());
        Deliver(_b, _a); // the query
        _a.Now = RunBy + 1;
        Deliver(_a, _b); // the commit, too late to run
        Assert.Equal(10, _b.UnitsMissed);
        Deliver(_b, _a); // done: 0 run
        Deliver(_a, _b);

        ContractLedgerEntry ledgerA = _a.Exchange.Ledger(_b.Id);
        Assert.Equal(0, ledgerA.UnitsRunByPartner);
        Assert.Equal(10, ledgerA.UnitsOut);
        Assert.True(ledgerA.AgreesWith(_b.Exchange.Ledger(_a.Id)));
        Assert.True(_a.Exchange.TryGetTransfer(id, out ContractTransfer t));
        Assert.Equal(0u, t.UnitsRun);
    }

    [Fact]
    public void An_abort_while_the_offer_is_with_the_policy_leaves_nothing_to_answer()
    {
        _b.Policy = null;
        TransferId id = OfferFromA();
        Deliver(_a, _b);
        Assert.Equal(ContractEffectKind.Judge, Assert.Single(_b.Log));
        Assert.Equal(1, _b.Exchange.OpenTransfers);

        _a.Now = DecideBy;
        _a.Tick();
        Assert.True(_a.Apply());
        Deliver(_a, _b);
        Assert.Equal(0, _b.Exchange.OpenTransfers);
        Assert.False(_b.Exchange.Answer(id, RefuseReason.None, DecideBy, _b.Effects));
        Assert.Equal(0, _b.Effects.Count);
    }

    [Fact]
    public void The_policy_answering_after_the_decide_by_deadline_is_turned_into_a_refusal()
    {
        _b.Policy = null;
        TransferId id = OfferFromA();
        Deliver(_a, _b);
        Assert.True(_b.Exchange.Answer(id, RefuseReason.None, DecideBy, _b.Effects));
        Assert.True(_b.Apply());
        Assert.Empty(_b.Journal.ReadAll());
        Assert.True(ContractMessage.TryRead(Assert.Single(_b.Outbox).Payload, out ContractMessage refusal));
        Assert.Equal(RefuseReason.Expired, refusal.Reason);
    }

    [Fact]
    public void A_journal_with_an_impossible_step_is_rejected_naming_the_record()
    {
        var offer = new ContractOffer(new TransferId(_a.Id, 1), 11, 0, 10, Price, DecideBy, RunBy);
        ContractJournalRecord[] journal =
        [
            new(ContractJournalKind.Offered, ContractRole.Owner, _b.Id, offer),
            new(ContractJournalKind.Aborted, ContractRole.Owner, _b.Id, offer),
            new(ContractJournalKind.Committed, ContractRole.Owner, _b.Id, offer),
        ];
        var options = new ContractExchangeOptions { Self = _a.Id, ClusterId = TestKeys.Cluster };
        var e = Assert.Throws<InvalidDataException>(() => new ContractExchange(options, TestKeys.Signer(1), TestKeys.Roster, journal, T0));
        Assert.Contains("record 2", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => new ContractExchange(options, TestKeys.Signer(1), TestKeys.Roster, journal[1..], T0));
        Assert.Contains("record 0", e.Message, StringComparison.Ordinal);

        var others = new ContractExchangeOptions { Self = _b.Id, ClusterId = TestKeys.Cluster };
        e = Assert.Throws<InvalidDataException>(() => new ContractExchange(others, TestKeys.Signer(2), TestKeys.Roster, journal[..1], T0));
        Assert.Contains("not this board", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_of_an_existing_transfer_allocates_nothing()
    {
        TransferId id = OfferFromA();
        Deliver(_a, _b);
        byte[] accept = _b.Outbox[0].Payload;
        Deliver(_b, _a);
        _a.Outbox.Clear();
        var effects = new ContractEffects();
        _a.Exchange.Receive(_b.Id, accept, T0, effects); // warm
        effects.Clear();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            _a.Exchange.Receive(_b.Id, accept, T0, effects);
            _a.Exchange.Tick(T0 + i, effects);
            effects.Clear();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        _ = id;
    }

    [Fact]
    public void Random_and_mutated_payloads_only_move_counters()
    {
        TransferId id = OfferFromA();
        Deliver(_a, _b);
        byte[] accept = _b.Outbox[0].Payload;
        _b.Outbox.Clear();
        var random = new Random(16);
        int journalled = _a.Journal.Count;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] payload;
            if (i % 2 == 0)
            {
                payload = new byte[random.Next(0, ContractMessage.MaxSize + 8)];
                random.NextBytes(payload);
                if (payload.Length > 0)
                {
                    payload[0] = (byte)random.Next(0, 10); // mostly known kinds, so the bodies are parsed
                }
            }
            else
            {
                payload = (byte[])accept.Clone();
                payload[random.Next(payload.Length)] ^= (byte)(1 << random.Next(8));
            }

            _a.Exchange.Receive(_b.Id, payload, T0, _a.Effects);
            Assert.Equal(0, _a.Effects.Count);
        }

        ContractCounters c = _a.Exchange.Counters;
        Assert.Equal(20_000, c.Malformed + c.BadSignatures);
        Assert.True(c.BadSignatures > 1_000, $"{c.BadSignatures} mutated accepts reached the signature check");
        Assert.Equal(journalled, _a.Journal.Count);
        Assert.True(_a.Exchange.TryGetTransfer(id, out ContractTransfer t));
        Assert.Equal(TransferState.Offered, t.State);
    }
}
