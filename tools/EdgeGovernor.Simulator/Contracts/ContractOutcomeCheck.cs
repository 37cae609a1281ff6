using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// The end-of-run checks of a contracts <c>run</c>, from what the nodes journalled (their durable truth): every offered
/// transfer's units run exactly once, by the owner after an abort or by the receiver after a commit, never by both and,
/// once the run settled, never by neither; and every pair of partners' ledgers agree.
/// </summary>
internal sealed class ContractOutcomeCheck
{
    private readonly List<string> _violations = [];

    /// <summary>Transfers offered (journalled by their owner).</summary>
    public int Transfers { get; private set; }

    public int Committed { get; private set; }

    public int Aborted { get; private set; }

    /// <summary>Units committed and run by their receiver.</summary>
    public long UnitsMoved { get; private set; }

    /// <summary>Units of aborted transfers, run by their owner.</summary>
    public long UnitsReturned { get; private set; }

    /// <summary>Partner pairs whose ledgers were compared.</summary>
    public int LedgersCompared { get; private set; }

    /// <summary>What broke, one line per breach.</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>Checks the journals of every node (index = node) and the ledger pairs (each partner's entry for the other).</summary>
    public void Run(IReadOnlyList<IReadOnlyList<ContractJournalRecord>> journals, IEnumerable<(int A, int B, ContractLedgerEntry AtA, ContractLedgerEntry AtB)> ledgers)
    {
        var owners = new Dictionary<TransferId, (ContractJournalRecord Offered, ContractJournalKind Decision)>();
        var receivers = new Dictionary<TransferId, bool>(); // true: the receiver journalled the commit
        for (int node = 0; node < journals.Count; node++)
        {
            foreach (ContractJournalRecord r in journals[node])
            {
                if (r.Role == ContractRole.Owner)
                {
                    if (r.Kind == ContractJournalKind.Offered)
                    {
                        owners[r.Transfer] = (r, ContractJournalKind.Offered);
                    }
                    else if (owners.TryGetValue(r.Transfer, out var o) && r.Kind is ContractJournalKind.Committed or ContractJournalKind.Aborted)
                    {
                        owners[r.Transfer] = (o.Offered, r.Kind);
                    }
                }
                else if (r.Kind is ContractJournalKind.Committed or ContractJournalKind.Done or ContractJournalKind.Closed)
                {
                    receivers[r.Transfer] = true;
                }
                else
                {
                    receivers.TryAdd(r.Transfer, false);
                }
            }
        }

        foreach ((TransferId id, (ContractJournalRecord offered, ContractJournalKind decision)) in owners)
        {
            Transfers++;
            uint units = offered.Offer.Units;
            bool receiverRuns = receivers.GetValueOrDefault(id);
            string name = FormattableString.Invariant($"transfer {id.Owner.Value}:{id.Sequence} ({units} units to node {NodeIndex(offered.Partner.Value)})");
            switch (decision)
            {
                case ContractJournalKind.Aborted when receiverRuns:
                    _violations.Add($"{name} run by both sides: the owner aborted it, the receiver journalled its commit");
                    break;
                case ContractJournalKind.Aborted:
                    Aborted++;
                    UnitsReturned += units;
                    break;
                case ContractJournalKind.Committed when !receiverRuns:
                    _violations.Add($"{name} run by neither side: the owner committed it, the receiver never journalled the commit");
                    break;
                case ContractJournalKind.Committed:
                    Committed++;
                    UnitsMoved += units;
                    break;
                default:
                    _violations.Add($"{name} run by neither side: the owner never decided it");
                    break;
            }
        }

        foreach ((TransferId id, bool runs) in receivers)
        {
            if (runs && !owners.ContainsKey(id))
            {
                _violations.Add(FormattableString.Invariant($"transfer {id.Owner.Value}:{id.Sequence} committed by its receiver but never offered by its owner"));
            }
        }

        foreach ((int a, int b, ContractLedgerEntry atA, ContractLedgerEntry atB) in ledgers)
        {
            LedgersCompared++;
            if (!atA.AgreesWith(atB))
            {
                _violations.Add($"ledgers of nodes {a} and {b} disagree: {atA} vs {atB}");
            }
        }
    }

    private static int NodeIndex(uint nodeId) => (int)nodeId - (int)NodeContext.NodeIdOf(0);
}
