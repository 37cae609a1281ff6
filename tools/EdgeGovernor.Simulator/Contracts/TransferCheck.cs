using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// The per-transfer checkers of a contracts run, from what both sides actually did: every transfer an owner journalled
/// is looked up on both sides (the owner's scheduler got the units back, or the receiver's queued them: exactly one),
/// and every contract's two ledgers are compared.
/// </summary>
internal sealed class TransferCheck
{
    /// <summary>Transfers offered (journalled by their owner).</summary>
    public int Transfers { get; private set; }

    public int Committed { get; private set; }

    public int Aborted { get; private set; }

    /// <summary>Transfers still undecided at the end (their units are counted as waiting).</summary>
    public int Unresolved { get; private set; }

    /// <summary>Units of transfers run by neither side.</summary>
    public long UnitsLost { get; private set; }

    /// <summary>Units of transfers run by both sides.</summary>
    public long UnitsDuplicated { get; private set; }

    /// <summary>Contracts whose partners' ledgers disagree (units, payments, units reported run).</summary>
    public int LedgerMismatches { get; private set; }

    /// <summary>Offers, queries and done reports sent again by the exchanges' timers.</summary>
    public long Retransmissions { get; private set; }

    public void Run(RackController[] controllers, IEnumerable<(int A, int B)> contracts)
    {
        foreach (RackController owner in controllers)
        {
            Retransmissions += owner.Retransmissions;
            foreach (ContractJournalRecord record in owner.Journal.ReadAll())
            {
                if (record.Kind != ContractJournalKind.Offered)
                {
                    continue;
                }

                Transfers++;
                TransferId id = record.Transfer;
                RackController receiver = controllers[RackController.RackOf(record.Partner)];
                HostMark ownerMark = owner.Marks[id];
                bool ownerRuns = ownerMark == HostMark.Returned;
                bool receiverRuns = receiver.Marks.TryGetValue(id, out HostMark mark) && mark == HostMark.Queued;
                if (ownerMark == HostMark.InFlight)
                {
                    Unresolved++;
                }
                else if (ownerRuns && receiverRuns)
                {
                    UnitsDuplicated += record.Offer.Units;
                }
                else if (!ownerRuns && !receiverRuns)
                {
                    UnitsLost += record.Offer.Units;
                }

                if (ownerMark == HostMark.Gone)
                {
                    Committed++;
                }
                else if (ownerRuns)
                {
                    Aborted++;
                }
            }
        }

        foreach ((int a, int b) in contracts)
        {
            ContractLedgerEntry atA = controllers[a].Exchange.Ledger(RackController.NodeOf(b));
            ContractLedgerEntry atB = controllers[b].Exchange.Ledger(RackController.NodeOf(a));
            if (!atA.AgreesWith(atB))
            {
                LedgerMismatches++;
            }
        }
    }
}
