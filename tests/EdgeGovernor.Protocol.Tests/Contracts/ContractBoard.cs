using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Tests.Support;

namespace EdgeGovernor.Protocol.Tests.Contracts;

/// <summary>
/// A test host of one board's <see cref="ContractExchange"/>: carries out its effects in order (journal into an
/// <see cref="InMemoryContractJournal"/> that survives <see cref="Crash"/>, sends into <see cref="Outbox"/>), runs
/// units the way a board's scheduler would (idempotently per transfer id: the scheduler's own queue is durable), and can
/// crash after any prefix of a call's effects.
/// </summary>
internal sealed class ContractBoard
{
    private readonly ContractTerms[] _contracts;
    private readonly ContractExchangeOptions _options;

    public ContractBoard(uint id, long nowMs, params ContractTerms[] contracts)
        : this(id, nowMs, 86_400_000, contracts)
    {
    }

    public ContractBoard(uint id, long nowMs, long retainFinishedMs, params ContractTerms[] contracts)
    {
        Id = new NodeId(id);
        _contracts = contracts;
        _options = new ContractExchangeOptions { Self = Id, ClusterId = TestKeys.Cluster, RetryMs = 1_000, QueryAfterMs = 2_000, RetainFinishedMs = retainFinishedMs };
        Exchange = Build(nowMs);
    }

    public NodeId Id { get; }

    public InMemoryContractJournal Journal { get; } = new();

    /// <summary>Every record ever journalled, in order (compaction does not shorten it).</summary>
    public List<ContractJournalRecord> History { get; } = [];

    /// <summary>Transfers forgotten by <see cref="Compact"/> so far.</summary>
    public int Forgotten { get; private set; }

    public ContractExchange Exchange { get; private set; }

    public ContractEffects Effects { get; } = new();

    public bool Up { get; private set; } = true;

    /// <summary>Messages sent, in order: (to, signed payload, kind).</summary>
    public List<(NodeId To, byte[] Payload, ContractMessageKind Kind)> Outbox { get; } = [];

    /// <summary>Every effect carried out, in order.</summary>
    public List<ContractEffectKind> Log { get; } = [];

    /// <summary>The policy: answer for an offer to judge (null: leave it to the test).</summary>
    public Func<ContractOffer, RefuseReason>? Policy { get; set; } = _ => RefuseReason.None;

    /// <summary>Transfers this board ran as the owner (after an abort) and as the receiver (after a commit), with the time.</summary>
    public Dictionary<TransferId, long> RanAsOwner { get; } = [];

    public Dictionary<TransferId, long> RanAsReceiver { get; } = [];

    /// <summary>Units of committed transfers that ran past their run-by deadline here (reported as not run).</summary>
    public long UnitsMissed { get; private set; }

    public long Now { get; set; }

    /// <summary>Carries out the pending effects in order; with <paramref name="crashAfter"/>, crashes after that many
    /// (the rest never happen). Returns false when it crashed.</summary>
    public bool Apply(int crashAfter = int.MaxValue)
    {
        for (int i = 0; i < Effects.Count; i++)
        {
            if (i == crashAfter)
            {
                Crash();
                return false;
            }

            ContractEffect effect = Effects[i];
            Log.Add(effect.Kind);
            switch (effect.Kind)
            {
                case ContractEffectKind.Journal:
                    Journal.Append(effect.Record);
                    History.Add(effect.Record);
                    break;
                case ContractEffectKind.Send:
                    Outbox.Add((effect.Message.To, Effects.Payload(i).ToArray(), effect.Message.Kind));
                    break;
                case ContractEffectKind.Judge when Policy is not null:
                    _ = Exchange.Answer(effect.Transfer.Id, Policy(effect.Transfer.Offer), Now, Effects);
                    break;
                case ContractEffectKind.Committed when effect.Transfer.Role == ContractRole.Receiver:
                    RunCommitted(effect.Transfer);
                    break;
                case ContractEffectKind.Aborted when effect.Transfer.Role == ContractRole.Owner:
                    RanAsOwner.TryAdd(effect.Transfer.Id, Now);
                    break;
            }
        }

        Effects.Clear();
        return true;
    }

    public void Crash()
    {
        Up = false;
        Effects.Clear();
    }

    /// <summary>Rebuilds the exchange from the journal and resumes what the journal says is this board's to do.</summary>
    public void Restart(long nowMs)
    {
        Now = nowMs;
        Exchange = Build(nowMs);
        Up = true;
        foreach (ContractTransfer transfer in Exchange.Transfers)
        {
            if (transfer.Role == ContractRole.Receiver && transfer.State == TransferState.Committed)
            {
                RunCommitted(transfer);
            }
            else if (transfer.Role == ContractRole.Owner && transfer.State == TransferState.Aborted)
            {
                RanAsOwner.TryAdd(transfer.Id, nowMs);
            }
        }
        _ = Apply();
    }

    public bool Offer(uint contract, uint units, uint price, long decideBy, long runBy, out TransferId id)
    {
        bool made = Exchange.TryOffer(contract, 0, units, price, decideBy, runBy, Now, Effects, out id);
        return made;
    }

    public void Receive(NodeId from, byte[] payload) => Exchange.Receive(from, payload, Now, Effects);

    public void Tick() => Exchange.Tick(Now, Effects);

    /// <summary>Compacts the exchange and replaces the journal with its records (as the firmware's rewrite does).</summary>
    public void Compact()
    {
        var records = new List<ContractJournalRecord>();
        Forgotten += Exchange.Compact(Now, records);
        Journal.Replace(records);
    }

    private void RunCommitted(in ContractTransfer transfer)
    {
        bool inTime = Now < transfer.Offer.RunByMs;
        if (!RanAsReceiver.ContainsKey(transfer.Id))
        {
            if (inTime)
            {
                RanAsReceiver.Add(transfer.Id, Now);
            }
            else
            {
                UnitsMissed += transfer.Offer.Units;
                RanAsReceiver.Add(transfer.Id, long.MinValue); // finished: missed
            }
        }

        uint run = RanAsReceiver[transfer.Id] == long.MinValue ? 0 : transfer.Offer.Units;
        _ = Exchange.ReportDone(transfer.Id, run, Now, Effects);
    }

    private ContractExchange Build(long nowMs)
    {
        var exchange = new ContractExchange(_options, TestKeys.Signer(Id.Value), TestKeys.Roster, Journal.ReadAll(), nowMs);
        foreach (ContractTerms terms in _contracts)
        {
            exchange.AddContract(terms);
        }
        return exchange;
    }
}
