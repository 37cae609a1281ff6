using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// One node life's contract exchange in a <c>run</c> scenario, hosted the way the firmware does: a component of the
/// node's <see cref="ProtocolNode"/> on the contract channel (received payloads go to <see cref="ContractExchange.Receive"/>,
/// sends go out by the node's reliable unicast), the exchange's effects carried out in order (journal records appended
/// to the node's <see cref="InMemoryContractJournal"/>, which outlives the node's crashes), the receiver's policy
/// accepting while its open units stay within a capacity, and committed units reported done after they ran.
/// A restarted node gets a new host, rebuilt from the journal.
/// </summary>
internal sealed class ContractHost : IProtocolComponent
{
    private readonly ProtocolNode _node;
    private readonly InMemoryContractJournal _journal;
    private readonly ContractWorkload _workload;
    private readonly ContractEffects _effects = new();
    private readonly Dictionary<TransferId, long> _reportAtMs = [];
    private long _nextReportMs = long.MaxValue;

    /// <summary>Builds the exchange of <paramref name="node"/> from <paramref name="journal"/> at node time <paramref name="nowUs"/>
    /// and registers it on the contract channel.</summary>
    public ContractHost(ProtocolNode node, ContractExchangeOptions options, IMessageSigner signer, ISignatureVerifier verifier,
        InMemoryContractJournal journal, ContractWorkload workload, ContractTerms[] contracts, long nowUs)
    {
        _node = node;
        _journal = journal;
        _workload = workload;
        long nowMs = ContractWorkload.ToMs(nowUs);
        Exchange = new ContractExchange(options, signer, verifier, journal.ReadAll(), nowMs);
        foreach (ContractTerms terms in contracts)
        {
            Exchange.AddContract(terms);
        }

        // Committed units this board had not reported done when it crashed: they run again and are reported.
        foreach (ContractTransfer t in Exchange.Transfers)
        {
            if (t.Role == ContractRole.Receiver && t.State == TransferState.Committed)
            {
                ScheduleReport(t.Id, nowMs);
            }
        }

        node.RegisterChannel(options.Channel, this);
    }

    /// <summary>The hosted exchange.</summary>
    public ContractExchange Exchange { get; }

    /// <summary>Sends the node's reliable unicast refused (window full): the exchange's own retries cover them.</summary>
    public long SendsRefused { get; private set; }

    /// <summary>Exceptions out of the exchange or this host (the node would count and drop them: the run reports them).</summary>
    public long Faults { get; private set; }

    /// <inheritdoc/>
    public long NextDeadlineUs => ContractWorkload.ToNodeUs(Math.Min(Exchange.NextDeadlineMs, _nextReportMs));

    /// <summary>Units this board holds for partners: prepared (capacity reserved) or committed and not reported done.</summary>
    public long OpenUnitsIn => Exchange.Transfers
        .Where(t => t.Role == ContractRole.Receiver && t.State is TransferState.Prepared or TransferState.Committed)
        .Sum(t => (long)t.Offer.Units);

    /// <summary>The owner's workload: offers <paramref name="units"/> under <paramref name="contractId"/> now.</summary>
    public bool Offer(uint contractId, byte jobClass, uint units, uint unitPriceMicros, long nowUs)
    {
        long nowMs = ContractWorkload.ToMs(nowUs);
        long decideBy = nowMs + _workload.DecideMs;
        bool offered = Exchange.TryOffer(contractId, jobClass, units, unitPriceMicros, decideBy, decideBy + _workload.RunMs + _workload.DecideMs, nowMs, _effects, out _);
        Apply(nowUs);
        return offered;
    }

    /// <inheritdoc/>
    public void OnDatagram(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
    }

    /// <inheritdoc/>
    public void OnUnicast(NodeId sender, byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
        try
        {
            Exchange.Receive(sender, payload, ContractWorkload.ToMs(nowUs), _effects);
            Apply(nowUs);
        }
        catch (Exception)
        {
            Faults++;
            throw;
        }
    }

    /// <inheritdoc/>
    public void Tick(long nowUs)
    {
        try
        {
            RunTimers(nowUs);
        }
        catch (Exception)
        {
            Faults++;
            throw;
        }
    }

    private void RunTimers(long nowUs)
    {
        long nowMs = ContractWorkload.ToMs(nowUs);
        if (_nextReportMs <= nowMs)
        {
            _nextReportMs = long.MaxValue;
            foreach ((TransferId id, long at) in _reportAtMs.ToArray())
            {
                if (at > nowMs)
                {
                    _nextReportMs = Math.Min(_nextReportMs, at);
                    continue;
                }

                _reportAtMs.Remove(id);
                if (Exchange.TryGetTransfer(id, out ContractTransfer t))
                {
                    _ = Exchange.ReportDone(id, t.Offer.Units, nowMs, _effects);
                }
            }
        }

        if (Exchange.NextDeadlineMs <= nowMs)
        {
            Exchange.Tick(nowMs, _effects);
        }

        Apply(nowUs);
    }

    /// <summary>Carries out the pending effects in order; answers judged offers (which appends more effects).</summary>
    private void Apply(long nowUs)
    {
        long nowMs = ContractWorkload.ToMs(nowUs);
        for (int i = 0; i < _effects.Count; i++)
        {
            ContractEffect effect = _effects[i];
            switch (effect.Kind)
            {
                case ContractEffectKind.Journal:
                    _journal.Append(effect.Record);
                    break;
                case ContractEffectKind.Send:
                    if (!_node.TrySend(effect.Message.To, Exchange.Options.Channel, _effects.Payload(i), nowUs))
                    {
                        SendsRefused++;
                    }
                    break;
                case ContractEffectKind.Judge:
                    bool fits = OpenUnitsIn + effect.Transfer.Offer.Units <= _workload.ReceiverCapacity;
                    _ = Exchange.Answer(effect.Transfer.Id, fits ? RefuseReason.None : RefuseReason.Busy, nowMs, _effects);
                    break;
                case ContractEffectKind.Committed when effect.Transfer.Role == ContractRole.Receiver:
                    ScheduleReport(effect.Transfer.Id, nowMs);
                    break;
            }
        }

        _effects.Clear();
    }

    private void ScheduleReport(TransferId id, long nowMs)
    {
        long at = nowMs + _workload.RunMs;
        _reportAtMs[id] = at;
        _nextReportMs = Math.Min(_nextReportMs, at);
    }
}
