using System.Globalization;
using EdgeGovernor.Firmware.Hosting;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>The load contracts' part of <c>/metrics</c> and <c>/status</c>, read from the agreements and the journal's
/// health (thread-safe counters).</summary>
internal static class ContractMetrics
{
    private static readonly ContractState[] States = Enum.GetValues<ContractState>();

    /// <summary>Writes one sample per contract (label <c>partner</c>) of each contract metric, then the journal's
    /// metrics (<paramref name="journal"/>, when given); nothing without contracts.</summary>
    public static void Write(PrometheusWriter w, IReadOnlyList<ContractAgreement> contracts, ContractJournalHealth? journal = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(contracts);
        if (contracts.Count == 0)
        {
            return;
        }
        w.Gauge("edgegov_contract_state", "State of each load contract (1 for the current one; only active ones are used).");
        foreach (ContractAgreement a in contracts)
        {
            foreach (ContractState state in States)
            {
                w.Sample("edgegov_contract_state", a.State == state ? 1 : 0, ("partner", Partner(a)), ("state", Name(state)));
            }
        }
        int unmatched = 0;
        foreach (ContractAgreement a in contracts)
        {
            unmatched += a.State == ContractState.Unmatched ? 1 : 0;
        }
        w.Gauge("edgegov_contracts_unmatched", "Load contracts the partner does not hold in the same terms (reported, never used).", unmatched);
        Each(w, contracts, "edgegov_contract_units_in_total", "Units received from the partner (committed, from the journal).", a => a.UnitsIn);
        Each(w, contracts, "edgegov_contract_units_out_total", "Units sent to the partner (committed, from the journal).", a => a.UnitsOut);
        Each(w, contracts, "edgegov_contract_payments_in_total", "What the partner owes for the units this board took (the run's currency).", a => a.PaymentsIn);
        Each(w, contracts, "edgegov_contract_payments_out_total", "What this board owes for the units the partner took.", a => a.PaymentsOut);
        Each(w, contracts, "edgegov_contract_offers_refused_total", "Offers refused, by either side.", a => a.OffersRefused);
        Each(w, contracts, "edgegov_contract_transfers_aborted_total", "Transfers aborted (refused, or no accept before the decide-by deadline).", a => a.TransfersAborted);
        Each(w, contracts, "edgegov_contract_digests_refused_total", "Contract digests from the partner refused (malformed, misaddressed, bad signature).", a => a.DigestsRefused);
        if (journal is not null)
        {
            WriteJournal(w, journal);
        }
    }

    /// <summary>The contract journal's metrics: halted, failures, recoveries, messages dropped while halted, size and compaction.</summary>
    public static void WriteJournal(PrometheusWriter w, ContractJournalHealth journal)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(journal);
        w.Gauge("edgegov_contract_journal_halted", "1 while the load contracts are halted because the contract journal cannot be written (no transfer starts, contract messages are dropped; the rest of the node runs).", journal.Halted ? 1 : 0);
        w.Counter("edgegov_contract_journal_failures_total", "Contract journal appends and rewrites that failed with an I/O error (each halted the contracts).", journal.Failures);
        w.Counter("edgegov_contract_journal_recoveries_total", "Times the contracts resumed from the reopened contract journal.", journal.Recoveries);
        w.Counter("edgegov_contract_messages_dropped_halted_total", "Contract messages dropped while the contracts were halted (the partner repeats them).", journal.DroppedWhileHalted);
        w.Gauge("edgegov_contract_journal_bytes", "Bytes the contract journal holds.", journal.Bytes);
        w.Gauge("edgegov_contract_journal_capacity_bytes", "Most bytes the contract journal may hold.", journal.CapacityBytes == long.MaxValue ? 0 : journal.CapacityBytes);
        w.Counter("edgegov_contract_journal_compactions_total", "Contract journal compactions written.", journal.Compactions);
        w.Counter("edgegov_contract_journal_compaction_failures_total", "Contract journal compactions that failed (the old journal stayed).", journal.CompactionFailures);
        w.Counter("edgegov_contract_journal_transfers_forgotten_total", "Finished transfers compaction forgot (their totals kept in the ledger records).", journal.TransfersForgotten);
        w.Counter("edgegov_contract_journal_bytes_reclaimed_total", "Bytes compaction removed from the contract journal.", journal.BytesReclaimed);
        w.Counter("edgegov_contract_journal_refusals_total", "New transfers refused for want of contract journal room.", journal.Refusals);
    }

    /// <summary>The contract journal as <c>/status</c> shows it (null without contracts).</summary>
    public static ContractJournalStatus? JournalStatus(ContractJournalHealth? journal) => journal is null ? null : new ContractJournalStatus
    {
        Halted = journal.Halted,
        Error = journal.Error,
        Failures = journal.Failures,
        Recoveries = journal.Recoveries,
        DroppedWhileHalted = journal.DroppedWhileHalted,
        Bytes = journal.Bytes,
        CapacityBytes = journal.CapacityBytes == long.MaxValue ? 0 : journal.CapacityBytes,
        Compactions = journal.Compactions,
        CompactionFailures = journal.CompactionFailures,
        Refusals = journal.Refusals,
        TransfersForgotten = journal.TransfersForgotten,
        BytesReclaimed = journal.BytesReclaimed,
    };

    /// <summary>The contracts as <c>/status</c> shows them.</summary>
    public static ContractStatus[] Status(IReadOnlyList<ContractAgreement> contracts)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        var status = new ContractStatus[contracts.Count];
        for (int i = 0; i < status.Length; i++)
        {
            ContractAgreement a = contracts[i];
            status[i] = new ContractStatus
            {
            Id = a.Terms.Id,
            Partner = a.Terms.Partner,
            State = Name(a.State),
            UnitsIn = a.UnitsIn,
            UnitsOut = a.UnitsOut,
            PaymentsIn = Math.Round(a.PaymentsIn, 6),
            PaymentsOut = Math.Round(a.PaymentsOut, 6),
            OffersRefused = a.OffersRefused,
            TransfersAborted = a.TransfersAborted,
            };
        }
        return status;
    }

    /// <summary>The state's name in metrics, status and logs.</summary>
    public static string Name(ContractState state) => state.ToString().ToLowerInvariant();

    private static string Partner(ContractAgreement a) => a.Terms.Partner.ToString(CultureInfo.InvariantCulture);

    private static void Each(PrometheusWriter w, IReadOnlyList<ContractAgreement> contracts, string name, string help, Func<ContractAgreement, double> value)
    {
        w.Counter(name, help);
        foreach (ContractAgreement a in contracts)
        {
            w.Sample(name, value(a), ("partner", Partner(a)));
        }
    }
}
