using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// The controller of one rack in <c>evaluate-contracts</c>: hosts the rack's <see cref="ContractExchange"/> the way the
/// firmware does (journal each record before the effects after it, sends onto the <see cref="ContractNetwork"/>) and
/// reacts to every journalled step on the rack's scheduler queue, idempotently per transfer (<see cref="HostMark"/>).
/// It can crash after any prefix of a call's effects (<see cref="CrashAfterEffects"/>): the exchange and the offers its
/// policy agreed to are lost; the journal and the scheduler's queue survive; <see cref="Restart"/> rebuilds the
/// exchange from the journal and brings the queue in line with it.
/// </summary>
internal sealed class RackController
{
    private const long HourMs = 3_600_000;

    private readonly ContractTerms[] _contracts;
    private readonly ContractExchangeOptions _options;
    private readonly Ed25519Signer _signer;
    private readonly ISignatureVerifier _roster;
    private readonly long _baseMs;

    public RackController(FederationRack rack, Ed25519Signer signer, ISignatureVerifier roster, ContractTerms[] contracts, long baseMs)
    {
        Rack = rack;
        Id = NodeOf(rack.Id);
        _signer = signer;
        _roster = roster;
        _contracts = contracts;
        _baseMs = baseMs;
        // Retries after the longest round trip of the simulated network (2 × 3 one-minute steps), so a loss-free run
        // never retransmits.
        _options = new ContractExchangeOptions { Self = Id, ClusterId = 0x5EC0_0001, RetryMs = 6 * 60_000, QueryAfterMs = 7 * 60_000 };
        Exchange = Build(baseMs);
    }

    public FederationRack Rack { get; }

    public NodeId Id { get; }

    public bool Up { get; private set; } = true;

    /// <summary>How long a crashed controller stays down (ms).</summary>
    public long RestartAfterMs { get; init; } = 30 * 60_000;

    /// <summary>When a down controller comes back (unix ms).</summary>
    public long DownUntilMs { get; set; }

    public InMemoryContractJournal Journal { get; } = new();

    public ContractExchange Exchange { get; private set; }

    public ContractEffects Effects { get; } = new();

    /// <summary>Owner: offered units not decided yet, by transfer (deadline hour, units).</summary>
    public Dictionary<TransferId, (int Deadline, int Units)> InFlight { get; } = [];

    /// <summary>Receiver: prepared units, capacity held, by transfer.</summary>
    public Dictionary<TransferId, (int Deadline, int Units)> Reserved { get; } = [];

    /// <summary>What the scheduler did per transfer (durable).</summary>
    public Dictionary<TransferId, HostMark> Marks { get; } = [];

    /// <summary>Finished committed transfers whose done report is not journalled yet: units run (durable).</summary>
    public Dictionary<TransferId, int> ToReport { get; } = [];

    /// <summary>Offers this rack's policy agreed to in the trading pass (volatile: lost in a crash; an offer not found
    /// here when it arrives is declined).</summary>
    public HashSet<TransferId> Agreed { get; } = [];

    /// <summary>When >= 0, the next call's effects are cut after this many and the controller crashes.</summary>
    public int CrashAfterEffects { get; set; } = -1;

    public int Crashes { get; private set; }

    /// <summary>Retransmissions of every incarnation of the exchange.</summary>
    public long Retransmissions => _earlierRetransmissions + Exchange.Counters.Retransmissions;

    private long _earlierRetransmissions;

    /// <summary>Units an aborted offer handed back after their deadline (missed by the owner).</summary>
    public long ReturnedTooLate { get; private set; }

    /// <summary>Units of committed transfers learnt after their deadline (missed by the receiver).</summary>
    public long LearntTooLate { get; private set; }

    public static NodeId NodeOf(int rack) => new((uint)rack + 1);

    public static int RackOf(NodeId node) => (int)node.Value - 1;

    /// <summary>The unix ms at the start of <paramref name="hour"/>.</summary>
    public long HourStartMs(int hour) => _baseMs + (hour * HourMs);

    /// <summary>Carries out the pending effects in order (or crashes part-way, see <see cref="CrashAfterEffects"/>).</summary>
    public void Apply(long nowMs, int hour, long step, ContractNetwork network, RackBooks[] books, double migrationCost)
    {
        for (int i = 0; i < Effects.Count; i++)
        {
            if (i == CrashAfterEffects)
            {
                Crash(nowMs);
                return;
            }

            ContractEffect effect = Effects[i];
            switch (effect.Kind)
            {
                case ContractEffectKind.Journal:
                    Journal.Append(effect.Record);
                    Sync(effect.Transfer, hour, books, migrationCost);
                    break;
                case ContractEffectKind.Send:
                    network.Send(Id, effect.Message.To, Effects.Payload(i), step);
                    break;
                case ContractEffectKind.Judge:
                    _ = Exchange.Answer(effect.Transfer.Id, Agreed.Remove(effect.Transfer.Id) ? RefuseReason.None : RefuseReason.Declined, nowMs, Effects);
                    break;
            }
        }

        Effects.Clear();
    }

    /// <summary>Brings the scheduler's queue in line with a journalled step of <paramref name="t"/> (idempotent).</summary>
    public void Sync(in ContractTransfer t, int hour, RackBooks[] books, double migrationCost)
    {
        TransferId id = t.Id;
        bool marked = Marks.TryGetValue(id, out HostMark mark);
        int units = (int)t.Offer.Units;
        double payment = t.Offer.PaymentMicros / (double)ContractLimits.MicrosPerUnitOfMoney;
        int deadline = DeadlineHour(t.Offer.RunByMs);
        RackBooks mine = books[Rack.Id];
        if (t.Role == ContractRole.Owner)
        {
            switch (t.State)
            {
                case TransferState.Offered when !marked:
                    int held = Rack.OwnDue.GetValueOrDefault(deadline);
                    if (held < units)
                    {
                        throw new InvalidOperationException($"rack {Rack.Id} offered {units} units due {deadline} but holds {held}");
                    }
                    Rack.OwnDue[deadline] = held - units;
                    InFlight[id] = (deadline, units);
                    Marks[id] = HostMark.InFlight;
                    break;
                case TransferState.Committed or TransferState.Settled when mark == HostMark.InFlight:
                    InFlight.Remove(id);
                    Marks[id] = HostMark.Gone;
                    mine.UnitsSent += units;
                    mine.Migration += units * migrationCost;
                    mine.Paid += payment;
                    break;
                case TransferState.Aborted when mark == HostMark.InFlight:
                    InFlight.Remove(id);
                    Marks[id] = HostMark.Returned;
                    if (deadline < hour)
                    {
                        mine.BatchMissed += units;
                        ReturnedTooLate += units;
                    }
                    else
                    {
                        Rack.OwnDue[deadline] = Rack.OwnDue.GetValueOrDefault(deadline) + units;
                    }
                    break;
            }
            return;
        }

        switch (t.State)
        {
            case TransferState.Prepared when !marked:
                Reserved[id] = (deadline, units);
                Marks[id] = HostMark.Reserved;
                break;
            case TransferState.Committed or TransferState.Done or TransferState.Closed when mark == HostMark.Reserved:
                Reserved.Remove(id);
                Marks[id] = HostMark.Queued;
                mine.UnitsReceived += units;
                mine.Received += payment;
                int owner = RackOf(t.Partner);
                if (deadline < hour)
                {
                    mine.ForeignMissed += units;
                    LearntTooLate += units;
                    ToReport[id] = 0;
                }
                else
                {
                    Rack.Foreign.Add(new ForeignBatch(owner, deadline, units, id));
                }
                break;
            case TransferState.Aborted when mark == HostMark.Reserved:
                Reserved.Remove(id);
                Marks[id] = HostMark.Released;
                break;
        }
    }

    /// <summary>Reports finished committed transfers (journal done, send the report) while up.</summary>
    public void ReportFinished(long nowMs)
    {
        if (!Up || ToReport.Count == 0)
        {
            return;
        }

        foreach ((TransferId id, int run) in ToReport.ToArray())
        {
            if (!Exchange.TryGetTransfer(id, out ContractTransfer t) || t.State != TransferState.Committed)
            {
                ToReport.Remove(id); // reported (done journalled) already
                continue;
            }
            _ = Exchange.ReportDone(id, (uint)run, nowMs, Effects);
        }
    }

    /// <summary>The controller stops: the exchange and agreed offers are gone; back at <paramref name="nowMs"/> + <see cref="RestartAfterMs"/>.</summary>
    public void Crash(long nowMs)
    {
        Up = false;
        DownUntilMs = nowMs + RestartAfterMs;
        CrashAfterEffects = -1;
        Effects.Clear();
        Agreed.Clear();
        Crashes++;
    }

    /// <summary>Rebuilds the exchange from the journal and reconciles the queue with every transfer it holds.</summary>
    public void Restart(long nowMs, int hour, RackBooks[] books, double migrationCost)
    {
        _earlierRetransmissions += Exchange.Counters.Retransmissions;
        Exchange = Build(nowMs);
        Up = true;
        foreach (ContractTransfer t in Exchange.Transfers)
        {
            Sync(t, hour, books, migrationCost);
        }
    }

    private int DeadlineHour(long runByMs) => (int)((runByMs - _baseMs) / HourMs) - 1;

    private ContractExchange Build(long nowMs)
    {
        var exchange = new ContractExchange(_options, _signer, _roster, Journal.ReadAll(), nowMs);
        foreach (ContractTerms terms in _contracts)
        {
            exchange.AddContract(terms);
        }
        return exchange;
    }
}
