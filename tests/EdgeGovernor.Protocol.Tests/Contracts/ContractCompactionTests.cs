using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Tests.Support;

namespace EdgeGovernor.Protocol.Tests.Contracts;

/// <summary><see cref="ContractExchange.Compact"/>: what is forgotten when, the ledger carry, and the answers to messages
/// about forgotten transfers.</summary>
public sealed class ContractCompactionTests
{
    private const long Retain = 600_000;
    private const long RunBy = ContractPair.RunBy;

    private readonly ContractBoard _a = new(1, ContractPair.T0, Retain, ContractPair.AtA) { Now = ContractPair.T0 };
    private readonly ContractBoard _b = new(2, ContractPair.T0, Retain, ContractPair.AtB) { Now = ContractPair.T0 };

    private static List<byte[]> Deliver(ContractBoard from, ContractBoard to) => ContractPair.Deliver(from, to);

    /// <summary>One whole transfer (offer … ack); returns the receiver's accept and done payloads and the owner's offer.</summary>
    private (TransferId Id, byte[] Offer, byte[] Accept, byte[] Done) Settle(uint units)
    {
        Assert.True(_a.Offer(11, units, ContractPair.Price, ContractPair.DecideBy, RunBy, out TransferId id));
        Assert.True(_a.Apply());
        byte[] offer = Deliver(_a, _b)[0];
        byte[] accept = Deliver(_b, _a)[0];
        Deliver(_a, _b); // commit; B runs and reports done
        byte[] done = Deliver(_b, _a)[0];
        Deliver(_a, _b); // ack
        return (id, offer, accept, done);
    }

    private static void SetNow(long now, params ContractBoard[] boards)
    {
        foreach (ContractBoard b in boards)
        {
            b.Now = now;
        }
    }

    [Fact]
    public void A_finished_transfer_is_kept_until_run_by_plus_retention_then_forgotten_with_ledger_and_sequence_carried()
    {
        TransferId first = Settle(10).Id;
        TransferId second = Settle(4).Id;
        ContractLedgerEntry ledgerA = _a.Exchange.Ledger(_b.Id);
        ContractLedgerEntry ledgerB = _b.Exchange.Ledger(_a.Id);

        SetNow(RunBy + Retain - 1, _a, _b);
        _a.Compact();
        _b.Compact();
        Assert.Equal(0, _a.Forgotten + _b.Forgotten);
        Assert.True(_a.Exchange.TryGetTransfer(first, out _));
        Assert.Equal(2 + (2 * 3), _a.Journal.Count); // two carries (zero) + offered, committed, settled each
        Assert.Equal(2 + (2 * 4), _b.Journal.Count); // two carries (zero) + prepared, committed, done, closed each

        SetNow(RunBy + Retain, _a, _b);
        _a.Compact();
        _b.Compact();
        Assert.Equal(2, _a.Forgotten);
        Assert.Equal(2, _b.Forgotten);
        Assert.False(_a.Exchange.TryGetTransfer(second, out _));
        Assert.Equal(0, _a.Exchange.HeldTransfers);
        Assert.Equal(ledgerA, _a.Exchange.Ledger(_b.Id)); // forgetting does not change the books
        Assert.Equal(
            [ContractJournalRecord.ForCarry(ContractRole.Owner, _b.Id, 14, 210_000, 14, 2), ContractJournalRecord.ForCarry(ContractRole.Receiver, _b.Id, 0, 0, 0, 0)],
            _a.Journal.ReadAll());

        _a.Crash();
        _b.Crash();
        _a.Restart(RunBy + Retain);
        _b.Restart(RunBy + Retain);
        Assert.Equal(ledgerA, _a.Exchange.Ledger(_b.Id));
        Assert.Equal(ledgerB, _b.Exchange.Ledger(_a.Id));
        Assert.True(_a.Exchange.Ledger(_b.Id).AgreesWith(_b.Exchange.Ledger(_a.Id)));
        Assert.Equal(2UL, _a.Exchange.LastSequence);
        Assert.Empty(_a.Outbox);
        Assert.Empty(_b.Outbox);
    }

    [Fact]
    public void The_sequence_survives_compaction_so_a_forgotten_id_is_never_reused()
    {
        TransferId first = Settle(10).Id;
        SetNow(RunBy + Retain, _a, _b);
        _a.Compact();
        _a.Crash();
        _a.Restart(RunBy + Retain);
        Assert.Equal(0, _a.Exchange.HeldTransfers);
        long now = RunBy + Retain;
        Assert.True(_a.Offer(11, 3, ContractPair.Price, now + 60_000, now + 600_000, out TransferId next));
        Assert.Equal(first.Sequence + 1, next.Sequence);
        Assert.Equal(first.Owner, next.Owner);
    }

    [Fact]
    public void Late_duplicates_of_a_forgotten_transfer_get_harmless_answers_and_change_nothing()
    {
        (TransferId id, byte[] offer, byte[] accept, byte[] done) = Settle(10);
        byte[] query = ContractMessageBytes(_b, ContractMessage.ForQuery(_b.Id, id));
        SetNow(RunBy + Retain, _a, _b);
        _a.Compact();
        _b.Compact();
        ContractLedgerEntry ledgerA = _a.Exchange.Ledger(_b.Id);
        ContractLedgerEntry ledgerB = _b.Exchange.Ledger(_a.Id);
        int journalA = _a.Journal.Count;
        int journalB = _b.Journal.Count;

        // The owner: a late done report gets the acknowledgement; a late accept or stale query an abort, which the
        // receiver (that forgot it too, or is done/closed) only counts.
        _a.Receive(_b.Id, done);
        _a.Receive(_b.Id, accept);
        _a.Receive(_b.Id, query);
        Assert.True(_a.Apply());
        Assert.Equal([ContractMessageKind.Ack, ContractMessageKind.Abort, ContractMessageKind.Abort], _a.Outbox.Select(m => m.Kind));
        Deliver(_a, _b);

        // The receiver: a late offer is past its decide-by deadline, refused as expired without asking the policy.
        _b.Log.Clear();
        _b.Receive(_a.Id, offer);
        Assert.True(_b.Apply());
        Assert.DoesNotContain(ContractEffectKind.Judge, _b.Log);
        Assert.Equal(ContractMessageKind.Refuse, Assert.Single(_b.Outbox).Kind);
        Deliver(_b, _a);

        Assert.Empty(_a.Outbox);
        Assert.Equal(journalA, _a.Journal.Count);
        Assert.Equal(journalB, _b.Journal.Count);
        Assert.Equal(ledgerA, _a.Exchange.Ledger(_b.Id));
        Assert.Equal(ledgerB, _b.Exchange.Ledger(_a.Id));
        Assert.Single(_b.RanAsReceiver);
        Assert.Empty(_a.RanAsOwner);
    }

    [Fact]
    public void A_committed_transfer_waiting_for_its_done_report_is_never_forgotten_so_a_waiting_receiver_is_told_commit()
    {
        Assert.True(_a.Offer(11, 10, ContractPair.Price, ContractPair.DecideBy, RunBy, out TransferId id));
        Assert.True(_a.Apply());
        Deliver(_a, _b);
        Deliver(_b, _a); // A commits; the commit is lost
        _a.Outbox.Clear();

        SetNow(RunBy + (10 * Retain), _a, _b);
        _a.Compact();
        _b.Compact();
        Assert.Equal(0, _a.Forgotten + _b.Forgotten);
        _a.Crash();
        _b.Crash();
        _a.Restart(_a.Now);
        _b.Restart(_b.Now);
        _b.Tick(); // B is prepared: its query timer is due at once
        Assert.True(_b.Apply());
        Assert.Equal(ContractMessageKind.OutcomeQuery, Assert.Single(_b.Outbox).Kind);
        Deliver(_b, _a);
        Assert.Equal(ContractMessageKind.Commit, Assert.Single(_a.Outbox).Kind);
        Deliver(_a, _b);
        Assert.True(_b.Exchange.TryGetTransfer(id, out ContractTransfer atB));
        Assert.NotEqual(TransferState.Aborted, atB.State);
        Assert.True(_a.Exchange.Ledger(_b.Id).AgreesWith(_b.Exchange.Ledger(_a.Id)));
    }

    [Fact]
    public void An_aborted_transfer_is_forgotten_and_a_prepared_receiver_that_missed_the_abort_still_learns_abort()
    {
        Assert.True(_a.Offer(11, 10, ContractPair.Price, ContractPair.DecideBy, RunBy, out TransferId id));
        Assert.True(_a.Apply());
        Deliver(_a, _b); // B prepared; its accept is lost
        _b.Outbox.Clear();
        SetNow(ContractPair.DecideBy, _a, _b);
        _a.Tick();
        Assert.True(_a.Apply()); // abort at the deadline; the abort is lost
        _a.Outbox.Clear();

        SetNow(RunBy + Retain, _a, _b);
        _a.Compact();
        Assert.Equal(1, _a.Forgotten);
        _b.Tick();
        Assert.True(_b.Apply());
        Deliver(_b, _a); // the query
        Deliver(_a, _b); // abort for the unknown id
        Assert.True(_b.Exchange.TryGetTransfer(id, out ContractTransfer atB));
        Assert.Equal(TransferState.Aborted, atB.State);
        Assert.Empty(_b.RanAsReceiver);
    }

    [Fact]
    public void A_carry_record_round_trips_and_malformed_ones_are_refused()
    {
        var carry = ContractJournalRecord.ForCarry(ContractRole.Owner, new NodeId(7), 40, 600_000, 33, 12);
        byte[] bytes = new byte[ContractJournalRecord.Size];
        Assert.True(carry.TryWrite(bytes));
        Assert.True(ContractJournalRecord.TryRead(bytes, out ContractJournalRecord read));
        Assert.Equal(carry, read);

        byte[] tail = (byte[])bytes.Clone();
        tail[^1] = 1;
        Assert.False(ContractJournalRecord.TryRead(tail, out _));
        Assert.False(ContractJournalRecord.ForCarry(ContractRole.Owner, new NodeId(7), -1, 0, 0, 0).IsWellFormed);
        Assert.False(ContractJournalRecord.ForCarry(ContractRole.Owner, new NodeId(7), 5, 0, 6, 0).IsWellFormed);
        Assert.False(ContractJournalRecord.ForCarry(ContractRole.Receiver, new NodeId(7), 5, 0, 0, 3).IsWellFormed);
        Assert.False(ContractJournalRecord.ForCarry(ContractRole.Owner, new NodeId(0), 5, 0, 0, 0).IsWellFormed);
        Assert.False((carry with { UnitsRun = 1 }).IsWellFormed);
    }

    [Fact]
    public void A_carry_with_this_board_itself_is_rejected_at_restore()
    {
        var journal = new[] { ContractJournalRecord.ForCarry(ContractRole.Owner, new NodeId(1), 1, 1, 0, 1) };
        var e = Assert.Throws<InvalidDataException>(() => new ContractExchange(_a.Exchange.Options, TestKeys.Signer(1), TestKeys.Roster, journal, ContractPair.T0));
        Assert.Contains("record 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_retention_option_is_validated()
    {
        Assert.Contains("retainFinishedMs", _a.Exchange.Options with { RetainFinishedMs = -1 } is { } o ? o.Validate() : null, StringComparison.Ordinal);
    }

    private static byte[] ContractMessageBytes(ContractBoard from, in ContractMessage message)
    {
        byte[] buffer = new byte[512];
        int length = message.TryWrite(buffer, TestKeys.Cluster, TestKeys.Signer(from.Id.Value));
        return buffer[..length];
    }
}
