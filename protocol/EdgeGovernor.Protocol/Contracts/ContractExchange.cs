using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// One board's side of the load-contract exchange with its partners (issue 16): offers, answers, decisions and done
/// reports of units moved under bilateral contracts, as a sans-IO state machine. Time, received messages and the
/// policy's answers come in; effects go out (<see cref="ContractEffects"/>: journal this record, send this signed
/// message, run / release / stop tracking these units), in the order the host must carry them out.
/// </summary>
/// <remarks>
/// <para>Two-phase commit with the units' owner deciding, so every unit is run exactly once:</para>
/// <list type="number">
/// <item>Owner (<see cref="TryOffer"/>): journals <see cref="ContractJournalKind.Offered"/>, sends the offer (again every
/// <see cref="ContractExchangeOptions.RetryMs"/>). From now on it neither runs the units nor offers them again until the
/// outcome is known.</item>
/// <item>Receiver (<see cref="Receive"/>): checks the offer against its copy of the contract (else a refusal, nothing
/// journalled), then asks its policy (<see cref="ContractEffectKind.Judge"/>); <see cref="Answer"/> either refuses or
/// journals <see cref="ContractJournalKind.Prepared"/> (capacity reserved) and sends the accept.</item>
/// <item>Owner: an accept before the decide-by deadline → journals <see cref="ContractJournalKind.Committed"/> (the
/// units are the receiver's; payment = units × unit price booked) and sends the commit. No accept by the decide-by
/// deadline, or a refusal → journals <see cref="ContractJournalKind.Aborted"/>, runs the units itself, sends the abort
/// (not after a refusal: nothing is prepared). The decision is final; every later accept or outcome query is answered
/// with it, an unknown transfer id with an abort (the owner journals before it sends, so it never offered it).</item>
/// <item>Receiver: runs units only after journalling the commit (payment booked); releases the reservation after
/// journalling an abort; a prepared receiver that hears nothing sends outcome queries
/// (<see cref="ContractExchangeOptions.QueryAfterMs"/>, then every <see cref="ContractExchangeOptions.RetryMs"/>).
/// When the units are finished the host calls <see cref="ReportDone"/>: journalled, then repeated until the owner's
/// acknowledgement (owner journals <see cref="ContractJournalKind.Settled"/> first).</item>
/// </list>
/// <para>Every message is idempotent per <see cref="TransferId"/>: duplicates, reordering and loss only cause the same
/// answer again. Everything after a journal effect depends on it, so a crash anywhere leaves the journal behind the
/// partner's view only in ways the steps above repair; a restarted board is rebuilt from its journal (the constructor),
/// with its open transfers' timers due at once. A board keeps its finished transfers in memory (answers to duplicates
/// come from them) until <see cref="Compact"/> forgets them.</para>
/// <para>Forgetting (<see cref="Compact"/>): only a transfer finished on this side (aborted; settled on the owner, which
/// requires the receiver's done report; closed on the receiver, which requires the owner's acknowledgement) and past its
/// run-by deadline + <see cref="ContractExchangeOptions.RetainFinishedMs"/>. Never an offered, committed, prepared or
/// done one. Why every later message about a forgotten id gets a harmless answer: the owner answers an unknown id with
/// an abort (accept, outcome query) or an acknowledgement (done). A forgotten aborted id: abort is its outcome. A
/// forgotten settled id: its receiver journalled committed and done before its done report, so it never waits for the
/// outcome again; a stale query still in flight that draws an abort finds the receiver done or closed, where an abort
/// is counted as a conflict and changes nothing; a repeated done report draws the acknowledgement it needs. A
/// committed id is never forgotten, so no receiver that still waits is ever told "abort" for it. The receiver: a
/// repeated offer of a forgotten id arrives after its decide-by deadline (which precedes run-by), so the contract check
/// refuses it as expired (the owner, settled or aborted, counts the refusal as a duplicate); a late commit, abort or
/// acknowledgement is counted and dropped. The ledger survives: compaction writes per partner and direction a
/// <see cref="ContractJournalKind.LedgerCarry"/> record with the totals of the forgotten transfers (and the last
/// sequence, so ids are never reused), followed by the records of the transfers kept.</para>
/// <para>Messages are <see cref="ContractMessage"/>s signed with this board's key and verified against the sender's
/// before anything else (a bad one is counted in <see cref="ContractCounters.BadSignatures"/> and dropped). Not
/// thread-safe: one thread (the node's) drives it. Allocation: a transfer's entry when it is created; a step of an
/// existing transfer allocates nothing once the effects' buffers have grown.</para>
/// </remarks>
public sealed class ContractExchange
{
    private readonly ContractExchangeOptions _options;
    private readonly IMessageSigner _signer;
    private readonly ISignatureVerifier _verifier;
    private readonly Dictionary<uint, ContractTerms> _contracts = [];
    private readonly Dictionary<TransferId, Entry> _transfers = [];
    private readonly List<Entry> _timed = [];
    private readonly Dictionary<uint, Books> _books = [];
    private readonly List<Entry> _forget = [];
    private ulong _lastSequence;
    private int _open;

    /// <summary>Builds the exchange of <see cref="ContractExchangeOptions.Self"/>, restoring every transfer of
    /// <paramref name="journal"/> (empty for a first start): states, ledger, the next transfer sequence. Timers of open
    /// transfers are due at <paramref name="nowMs"/>. Contracts are added afterwards (<see cref="AddContract"/>).</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="InvalidDataException">A journal record is malformed, belongs to another board, or is a step its
    /// transfer cannot take (the message names the record's index).</exception>
    public ContractExchange(ContractExchangeOptions options, IMessageSigner signer, ISignatureVerifier verifier, IReadOnlyList<ContractJournalRecord> journal, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(journal);
        if (options.Validate() is string error)
        {
            throw new ArgumentException("contract exchange options: " + error, nameof(options));
        }

        _options = options;
        _signer = signer;
        _verifier = verifier;
        for (int i = 0; i < journal.Count; i++)
        {
            Restore(journal[i], i);
        }

        foreach (Entry entry in _transfers.Values)
        {
            entry.NextSendMs = nowMs;
            Track(entry);
        }
    }

    /// <summary>This board.</summary>
    public NodeId Self => _options.Self;

    /// <summary>The options the exchange was built with.</summary>
    public ContractExchangeOptions Options => _options;

    /// <summary>What the exchange did since it was built.</summary>
    public ContractCounters Counters { get; } = new();

    /// <summary>Transfers not finished on this side (either role, offers with the policy included).</summary>
    public int OpenTransfers => _open;

    /// <summary>The last transfer sequence this board used as an owner (0: none).</summary>
    public ulong LastSequence => _lastSequence;

    /// <summary>Every transfer this side holds (allocates; for restart, status and tests).</summary>
    public IEnumerable<ContractTransfer> Transfers => _transfers.Values.Select(e => e.Snapshot).ToArray();

    /// <summary>The partners this board has books with (allocates).</summary>
    public IEnumerable<NodeId> LedgerPartners => _books.Keys.Select(k => new NodeId(k)).ToArray();

    /// <summary>
    /// Adds a contract this board holds (its own copy: classes it offers and accepts). Only offers under a known
    /// contract are made or taken.
    /// </summary>
    /// <exception cref="ArgumentException">The terms are invalid (<see cref="ContractTerms.Validate"/>) or the id is taken.</exception>
    public void AddContract(in ContractTerms terms)
    {
        if (terms.Validate(Self) is string error)
        {
            throw new ArgumentException($"contract {terms.ContractId}: {error}", nameof(terms));
        }

        if (!_contracts.TryAdd(terms.ContractId, terms))
        {
            throw new ArgumentException($"contract {terms.ContractId}: the id is already used", nameof(terms));
        }
    }

    /// <summary>The contracts this board holds (allocates; for status).</summary>
    public IEnumerable<ContractTerms> Contracts => _contracts.Values.ToArray();

    /// <summary>The contract of <paramref name="contractId"/>, when held.</summary>
    public bool TryGetContract(uint contractId, out ContractTerms terms) => _contracts.TryGetValue(contractId, out terms);

    /// <summary>The transfer <paramref name="id"/> as this side holds it.</summary>
    public bool TryGetTransfer(TransferId id, out ContractTransfer transfer)
    {
        bool found = _transfers.TryGetValue(id, out Entry? entry);
        transfer = found ? entry!.Snapshot : default;
        return found;
    }

    /// <summary>This board's books with <paramref name="partner"/> (all zero when none).</summary>
    public ContractLedgerEntry Ledger(NodeId partner) =>
        _books.TryGetValue(partner.Value, out Books? books) ? books.Entry(partner) : new ContractLedgerEntry(partner, 0, 0, 0, 0, 0, 0);

    /// <summary>When <see cref="Tick"/> should next run (<see cref="long.MaxValue"/>: no timer). O(open transfers).</summary>
    public long NextDeadlineMs
    {
        get
        {
            long next = long.MaxValue;
            foreach (Entry entry in _timed)
            {
                next = Math.Min(next, entry.TimerMs);
            }
            return next;
        }
    }

    /// <summary>
    /// Offers <paramref name="units"/> units of <paramref name="jobClass"/> to the partner of contract
    /// <paramref name="contractId"/> at <paramref name="unitPriceMicros"/> each: effects journal the offer, then send it.
    /// From then on the host neither runs nor re-offers those units until a <see cref="ContractEffectKind.Committed"/>
    /// (they are the partner's) or <see cref="ContractEffectKind.Aborted"/> (run them) effect of the transfer.
    /// </summary>
    /// <returns>False (no effect) when the contract is unknown or not valid at <paramref name="nowMs"/>, the class is not
    /// one it lets this board offer, the units are 0 or above its cap, the price is outside its range, the deadlines are
    /// not plausible (<see cref="ContractLimits.AreDeadlinesPlausible"/>) or the decide-by deadline is not after
    /// <paramref name="nowMs"/>, or <see cref="ContractExchangeOptions.MaxOpenTransfers"/> are open.</returns>
    public bool TryOffer(uint contractId, byte jobClass, uint units, uint unitPriceMicros, long decideByMs, long runByMs, long nowMs, ContractEffects effects, out TransferId id)
    {
        ArgumentNullException.ThrowIfNull(effects);
        id = default;
        if (!_contracts.TryGetValue(contractId, out ContractTerms terms)
            || !terms.IsValidAt(nowMs)
            || jobClass > ContractLimits.MaxJobClass
            || (terms.ClassesOut & (1UL << jobClass)) == 0
            || units < 1 || units > terms.MaxUnits
            || unitPriceMicros < terms.PriceMinMicros || unitPriceMicros > terms.PriceMaxMicros
            || !ContractLimits.AreDeadlinesPlausible(decideByMs, runByMs)
            || decideByMs <= nowMs
            || _open >= _options.MaxOpenTransfers
            || _lastSequence >= ContractLimits.MaxSequence)
        {
            return false;
        }

        id = new TransferId(Self, _lastSequence + 1);
        var offer = new ContractOffer(id, contractId, jobClass, units, unitPriceMicros, decideByMs, runByMs);
        var entry = new Entry(ContractRole.Owner, terms.Partner, offer, TransferState.Offered);
        Create(entry);
        Journal(effects, entry, ContractJournalKind.Offered);
        entry.NextSendMs = nowMs + _options.RetryMs;
        Track(entry);
        Send(effects, entry, ContractMessage.ForOffer(entry.Partner, offer));
        Counters.OffersSent++;
        return true;
    }

    /// <summary>
    /// The policy's answer to an offer it was asked to judge (<see cref="ContractEffectKind.Judge"/>):
    /// <see cref="RefuseReason.None"/> accepts (effects: journal prepared, send the accept; the host keeps the capacity
    /// reserved until the transfer's commit or abort), anything else refuses (send the refusal). An accept after the
    /// offer's decide-by deadline is turned into a <see cref="RefuseReason.Expired"/> refusal (the owner has aborted).
    /// </summary>
    /// <returns>False (no effect) when the transfer is not waiting for the policy (answered already, or dropped because
    /// its owner aborted it or its decide-by deadline passed).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is not a defined reason.</exception>
    public bool Answer(TransferId id, RefuseReason reason, long nowMs, ContractEffects effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((byte)reason, (byte)RefuseReason.Busy, nameof(reason));
        if (!_transfers.TryGetValue(id, out Entry? entry) || entry.State != TransferState.Judging)
        {
            return false;
        }

        if (reason == RefuseReason.None && nowMs >= entry.Offer.DecideByMs)
        {
            reason = RefuseReason.Expired;
        }

        if (reason != RefuseReason.None)
        {
            Remove(entry);
            Counters.OffersRefused++;
            Send(effects, entry, ContractMessage.ForAnswer(Self, id, reason));
            return true;
        }

        Journal(effects, entry, ContractJournalKind.Prepared);
        entry.NextSendMs = nowMs + _options.QueryAfterMs;
        Track(entry);
        Send(effects, entry, ContractMessage.ForAnswer(Self, id, RefuseReason.None));
        return true;
    }

    /// <summary>
    /// The receiver's host finished a committed transfer: <paramref name="unitsRun"/> of its units ran by the run-by
    /// deadline (the rest missed it). Effects: journal done, send the report (repeated until acknowledged).
    /// </summary>
    /// <returns>False (no effect) when this board does not hold <paramref name="id"/> as a committed receiver.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unitsRun"/> exceeds the transfer's units.</exception>
    public bool ReportDone(TransferId id, uint unitsRun, long nowMs, ContractEffects effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        if (!_transfers.TryGetValue(id, out Entry? entry) || entry.Role != ContractRole.Receiver || entry.State != TransferState.Committed)
        {
            return false;
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(unitsRun, entry.Offer.Units, nameof(unitsRun));
        Journal(effects, entry, ContractJournalKind.Done, unitsRun);
        entry.NextSendMs = nowMs + _options.RetryMs;
        Track(entry);
        Send(effects, entry, ContractMessage.ForDone(Self, id, unitsRun));
        return true;
    }

    /// <summary>
    /// Forgets the transfers finished on this side whose run-by deadline + <see cref="ContractExchangeOptions.RetainFinishedMs"/>
    /// is at or before <paramref name="nowMs"/> (see the remarks for why that is safe), and fills <paramref name="into"/>
    /// (cleared first) with a journal equivalent to the one so far: per partner a <see cref="ContractJournalKind.LedgerCarry"/>
    /// record each way (the forgotten transfers' ledger totals, the last sequence), then the records of every journalled
    /// transfer still held, step by step. A host replaces its journal with them (atomically) before it appends again;
    /// an exchange restored from them has the same transfers, ledgers and next sequence as this one.
    /// </summary>
    /// <returns>The number of transfers forgotten.</returns>
    public int Compact(long nowMs, List<ContractJournalRecord> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.Clear();
        _forget.Clear();
        foreach (Entry entry in _transfers.Values)
        {
            if (entry.Snapshot.IsFinished && nowMs - _options.RetainFinishedMs >= entry.Offer.RunByMs)
            {
                _forget.Add(entry);
            }
        }

        foreach (Entry entry in _forget)
        {
            _transfers.Remove(entry.Offer.Transfer);
        }

        int forgotten = _forget.Count;
        _forget.Clear();

        // The carry: each partner's books minus what the kept transfers' records add back on restore.
        var kept = new Dictionary<uint, Books>();
        foreach (Entry entry in _transfers.Values)
        {
            if (!kept.TryGetValue(entry.Partner.Value, out Books? books))
            {
                books = new Books();
                kept.Add(entry.Partner.Value, books);
            }
            books.Add(entry);
        }

        foreach ((uint partner, Books books) in _books)
        {
            kept.TryGetValue(partner, out Books? retained);
            var node = new NodeId(partner);
            into.Add(ContractJournalRecord.ForCarry(ContractRole.Owner, node, books.UnitsOut - (retained?.UnitsOut ?? 0),
                books.PaidMicros - (retained?.PaidMicros ?? 0), books.UnitsRunByPartner - (retained?.UnitsRunByPartner ?? 0), _lastSequence));
            into.Add(ContractJournalRecord.ForCarry(ContractRole.Receiver, node, books.UnitsIn - (retained?.UnitsIn ?? 0),
                books.ReceivedMicros - (retained?.ReceivedMicros ?? 0), books.UnitsRunForPartner - (retained?.UnitsRunForPartner ?? 0), 0));
        }

        foreach (Entry entry in _transfers.Values)
        {
            if (entry.State == TransferState.Judging)
            {
                continue; // not journalled: the policy still has it
            }

            into.Add(new ContractJournalRecord(entry.Role == ContractRole.Owner ? ContractJournalKind.Offered : ContractJournalKind.Prepared, entry.Role, entry.Partner, entry.Offer));
            if (entry.State is TransferState.Offered or TransferState.Prepared)
            {
                continue;
            }

            if (entry.State == TransferState.Aborted)
            {
                into.Add(new ContractJournalRecord(ContractJournalKind.Aborted, entry.Role, entry.Partner, entry.Offer));
                continue;
            }

            into.Add(new ContractJournalRecord(ContractJournalKind.Committed, entry.Role, entry.Partner, entry.Offer));
            switch (entry.State)
            {
                case TransferState.Settled:
                    into.Add(new ContractJournalRecord(ContractJournalKind.Settled, entry.Role, entry.Partner, entry.Offer, entry.UnitsRun));
                    break;
                case TransferState.Done or TransferState.Closed:
                    into.Add(new ContractJournalRecord(ContractJournalKind.Done, entry.Role, entry.Partner, entry.Offer, entry.UnitsRun));
                    if (entry.State == TransferState.Closed)
                    {
                        into.Add(new ContractJournalRecord(ContractJournalKind.Closed, entry.Role, entry.Partner, entry.Offer));
                    }
                    break;
            }
        }

        Counters.Forgotten += forgotten;
        return forgotten;
    }

    /// <summary>Transfers held in memory (open and finished; what <see cref="Compact"/> bounds).</summary>
    public int HeldTransfers => _transfers.Count;

    /// <summary>
    /// A contract message from <paramref name="from"/> (the sender the transport authenticated: the node's reliable
    /// unicast on <see cref="ContractExchangeOptions.Channel"/>). Parsed and checked (<see cref="ContractMessage.TryRead"/>,
    /// from and to must be <paramref name="from"/> and this board), its signature verified, then handled; anything bad
    /// is counted and dropped, never thrown.
    /// </summary>
    public void Receive(NodeId from, ReadOnlySpan<byte> payload, long nowMs, ContractEffects effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        if (!ContractMessage.TryRead(payload, out ContractMessage message) || message.From != from || message.To != Self)
        {
            Counters.Malformed++;
            return;
        }

        if (!ContractMessage.VerifySignature(payload, _options.ClusterId, _verifier))
        {
            Counters.BadSignatures++;
            return;
        }

        _transfers.TryGetValue(message.Transfer, out Entry? entry);
        if (entry is not null && entry.Partner != from)
        {
            Counters.Malformed++; // a transfer between this board and someone else
            return;
        }

        switch (message.Kind)
        {
            case ContractMessageKind.Offer:
                OnOffer(message.Offer, from, entry, nowMs, effects);
                break;
            case ContractMessageKind.Accept:
                OnAccept(message.Transfer, from, entry, nowMs, effects);
                break;
            case ContractMessageKind.Refuse:
                OnRefuse(entry, message.Reason, effects);
                break;
            case ContractMessageKind.Commit:
                OnCommit(entry, effects);
                break;
            case ContractMessageKind.Abort:
                OnAbort(entry, effects);
                break;
            case ContractMessageKind.Done:
                OnDone(message.Transfer, from, entry, message.UnitsRun, effects);
                break;
            case ContractMessageKind.Ack:
                OnAck(entry, effects);
                break;
            default:
                OnQuery(message.Transfer, from, entry, effects);
                break;
        }
    }

    /// <summary>Runs the due timers: an owner's offer unanswered at its decide-by deadline is aborted (journal, run the
    /// units, send the abort); offers, outcome queries and done reports are repeated every
    /// <see cref="ContractExchangeOptions.RetryMs"/>; an offer still with the policy at its decide-by deadline is dropped.</summary>
    public void Tick(long nowMs, ContractEffects effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        for (int i = _timed.Count - 1; i >= 0; i--)
        {
            Entry entry = _timed[i];
            if (entry.TimerMs <= nowMs)
            {
                Fire(entry, nowMs, effects);
            }

            if (entry.TimerMs == long.MaxValue)
            {
                entry.Timed = false;
                _timed[i] = _timed[^1];
                _timed.RemoveAt(_timed.Count - 1);
            }
        }
    }

    private void Fire(Entry entry, long nowMs, ContractEffects effects)
    {
        switch (entry.State)
        {
            case TransferState.Offered when nowMs >= entry.Offer.DecideByMs:
                AbortAtDeadline(entry, effects);
                break;
            case TransferState.Offered:
                Resend(entry, ContractMessage.ForOffer(entry.Partner, entry.Offer), nowMs, effects);
                break;
            case TransferState.Judging:
                Remove(entry);
                break;
            case TransferState.Prepared:
                Resend(entry, ContractMessage.ForQuery(Self, entry.Offer.Transfer), nowMs, effects);
                break;
            case TransferState.Done:
                Resend(entry, ContractMessage.ForDone(Self, entry.Offer.Transfer, entry.UnitsRun), nowMs, effects);
                break;
        }
    }

    private void Resend(Entry entry, in ContractMessage message, long nowMs, ContractEffects effects)
    {
        Counters.Retransmissions++;
        entry.NextSendMs = nowMs + _options.RetryMs;
        Send(effects, entry, message);
    }

    private void OnOffer(in ContractOffer offer, NodeId from, Entry? entry, long nowMs, ContractEffects effects)
    {
        if (entry is not null)
        {
            Counters.Duplicates++;
            if (entry.State is TransferState.Prepared or TransferState.Committed or TransferState.Done or TransferState.Closed)
            {
                Send(effects, entry, ContractMessage.ForAnswer(Self, offer.Transfer, RefuseReason.None));
            }
            return;
        }

        RefuseReason reason = !_contracts.TryGetValue(offer.ContractId, out ContractTerms terms) || terms.Partner != from
            ? RefuseReason.UnknownContract
            : terms.Check(offer, nowMs);
        if (reason == RefuseReason.None && _open >= _options.MaxOpenTransfers)
        {
            reason = RefuseReason.Busy;
        }

        var judged = new Entry(ContractRole.Receiver, from, offer, TransferState.Judging);
        if (reason != RefuseReason.None)
        {
            Counters.OffersRefused++;
            judged.State = TransferState.Aborted;
            Send(effects, judged, ContractMessage.ForAnswer(Self, offer.Transfer, reason));
            return;
        }

        Create(judged);
        Track(judged);
        Counters.OffersJudged++;
        effects.Add(new ContractEffect(ContractEffectKind.Judge, judged.Snapshot));
    }

    private void OnAccept(TransferId id, NodeId from, Entry? entry, long nowMs, ContractEffects effects)
    {
        if (entry is null)
        {
            Counters.Unknown++;
            SendUnheld(effects, from, ContractMessage.ForDecision(from, id, commit: false));
            return;
        }

        switch (entry.State)
        {
            case TransferState.Offered when nowMs >= entry.Offer.DecideByMs:
                AbortAtDeadline(entry, effects);
                break;
            case TransferState.Offered:
                Journal(effects, entry, ContractJournalKind.Committed);
                Counters.Commits++;
                Send(effects, entry, ContractMessage.ForDecision(entry.Partner, id, commit: true));
                effects.Add(new ContractEffect(ContractEffectKind.Committed, entry.Snapshot));
                break;
            default:
                Counters.Duplicates++;
                Send(effects, entry, ContractMessage.ForDecision(entry.Partner, id, commit: entry.State is TransferState.Committed or TransferState.Settled));
                break;
        }
    }

    private void OnRefuse(Entry? entry, RefuseReason reason, ContractEffects effects)
    {
        if (entry is null || entry.State != TransferState.Offered)
        {
            Counters.Duplicates++;
            return;
        }

        Counters.RefusalsReceived++;
        AbortAsOwner(entry, reason, sendAbort: false, effects);
    }

    /// <summary>No accept by the decide-by deadline: the owner aborts, runs the units itself and tells the partner.</summary>
    private void AbortAtDeadline(Entry entry, ContractEffects effects)
    {
        Counters.DeadlineAborts++;
        AbortAsOwner(entry, RefuseReason.None, sendAbort: true, effects);
    }

    private void AbortAsOwner(Entry entry, RefuseReason reason, bool sendAbort, ContractEffects effects)
    {
        Journal(effects, entry, ContractJournalKind.Aborted);
        Counters.Aborts++;
        if (sendAbort)
        {
            Send(effects, entry, ContractMessage.ForDecision(entry.Partner, entry.Offer.Transfer, commit: false));
        }
        effects.Add(new ContractEffect(ContractEffectKind.Aborted, entry.Snapshot, Reason: reason));
    }

    private void OnCommit(Entry? entry, ContractEffects effects)
    {
        switch (entry?.State)
        {
            case TransferState.Prepared:
                Journal(effects, entry, ContractJournalKind.Committed);
                Counters.Commits++;
                effects.Add(new ContractEffect(ContractEffectKind.Committed, entry.Snapshot));
                break;
            case TransferState.Committed or TransferState.Done or TransferState.Closed:
                Counters.Duplicates++;
                break;
            default:
                Counters.Conflicts++; // never prepared here, or aborted: a correct owner cannot have committed
                break;
        }
    }

    private void OnAbort(Entry? entry, ContractEffects effects)
    {
        switch (entry?.State)
        {
            case null:
                Counters.Unknown++;
                break;
            case TransferState.Judging:
                Remove(entry); // the policy's late answer finds nothing to answer
                break;
            case TransferState.Prepared:
                Journal(effects, entry, ContractJournalKind.Aborted);
                Counters.Aborts++;
                effects.Add(new ContractEffect(ContractEffectKind.Aborted, entry.Snapshot));
                break;
            case TransferState.Aborted:
                Counters.Duplicates++;
                break;
            default:
                Counters.Conflicts++;
                break;
        }
    }

    private void OnDone(TransferId id, NodeId from, Entry? entry, uint unitsRun, ContractEffects effects)
    {
        switch (entry?.State)
        {
            case null:
                Counters.Unknown++;
                SendUnheld(effects, from, ContractMessage.ForAck(from, id));
                break;
            case TransferState.Committed when unitsRun > entry.Offer.Units:
                Counters.Malformed++;
                break;
            case TransferState.Committed:
                Journal(effects, entry, ContractJournalKind.Settled, unitsRun);
                Send(effects, entry, ContractMessage.ForAck(from, id));
                effects.Add(new ContractEffect(ContractEffectKind.Settled, entry.Snapshot));
                break;
            case TransferState.Settled:
                Counters.Duplicates++;
                Send(effects, entry, ContractMessage.ForAck(from, id));
                break;
            default:
                Counters.Conflicts++;
                break;
        }
    }

    private void OnAck(Entry? entry, ContractEffects effects)
    {
        switch (entry?.State)
        {
            case TransferState.Done:
                Journal(effects, entry, ContractJournalKind.Closed);
                break;
            case TransferState.Closed:
                Counters.Duplicates++;
                break;
            case null:
                Counters.Unknown++;
                break;
            default:
                Counters.Conflicts++;
                break;
        }
    }

    private void OnQuery(TransferId id, NodeId from, Entry? entry, ContractEffects effects)
    {
        switch (entry?.State)
        {
            case null:
                Counters.Unknown++;
                SendUnheld(effects, from, ContractMessage.ForDecision(from, id, commit: false));
                break;
            case TransferState.Offered:
                Counters.Duplicates++; // still deciding: the decide-by deadline answers
                break;
            default:
                Send(effects, entry, ContractMessage.ForDecision(from, id, commit: entry.State is TransferState.Committed or TransferState.Settled));
                break;
        }
    }

    private void Journal(ContractEffects effects, Entry entry, ContractJournalKind kind, uint unitsRun = 0)
    {
        var record = new ContractJournalRecord(kind, entry.Role, entry.Partner, entry.Offer, unitsRun);
        Apply(entry, kind, unitsRun);
        effects.Add(new ContractEffect(ContractEffectKind.Journal, entry.Snapshot, Record: record));
    }

    /// <summary>The state change and bookkeeping of one journalled step (live and on restore alike).</summary>
    private void Apply(Entry entry, ContractJournalKind kind, uint unitsRun)
    {
        bool wasOpen = !entry.Snapshot.IsFinished;
        Books books = BooksOf(entry.Partner);
        switch (kind)
        {
            case ContractJournalKind.Offered:
                entry.State = TransferState.Offered;
                _lastSequence = Math.Max(_lastSequence, entry.Offer.Transfer.Sequence);
                break;
            case ContractJournalKind.Prepared:
                entry.State = TransferState.Prepared;
                break;
            case ContractJournalKind.Committed:
                entry.State = TransferState.Committed;
                if (entry.Role == ContractRole.Owner)
                {
                    books.UnitsOut += entry.Offer.Units;
                    books.PaidMicros += entry.Offer.PaymentMicros;
                }
                else
                {
                    books.UnitsIn += entry.Offer.Units;
                    books.ReceivedMicros += entry.Offer.PaymentMicros;
                }
                break;
            case ContractJournalKind.Aborted:
                entry.State = TransferState.Aborted;
                break;
            case ContractJournalKind.Done:
                entry.State = TransferState.Done;
                entry.UnitsRun = unitsRun;
                books.UnitsRunForPartner += unitsRun;
                break;
            case ContractJournalKind.Settled:
                entry.State = TransferState.Settled;
                entry.UnitsRun = unitsRun;
                books.UnitsRunByPartner += unitsRun;
                break;
            case ContractJournalKind.Closed:
                entry.State = TransferState.Closed;
                break;
        }

        if (wasOpen && entry.Snapshot.IsFinished)
        {
            _open--;
        }
    }

    private void Restore(in ContractJournalRecord record, int index)
    {
        if (!record.IsWellFormed)
        {
            throw new InvalidDataException($"contract journal record {index}: malformed ({record})");
        }

        if (record.Kind == ContractJournalKind.LedgerCarry)
        {
            if (record.Partner == Self)
            {
                throw new InvalidDataException($"contract journal record {index}: a ledger carry with this board ({Self}) itself");
            }

            Books carried = BooksOf(record.Partner);
            if (record.Role == ContractRole.Owner)
            {
                carried.UnitsOut += record.CarryUnits;
                carried.PaidMicros += record.CarryMicros;
                carried.UnitsRunByPartner += record.CarryUnitsRun;
                _lastSequence = Math.Max(_lastSequence, record.CarrySequence);
            }
            else
            {
                carried.UnitsIn += record.CarryUnits;
                carried.ReceivedMicros += record.CarryMicros;
                carried.UnitsRunForPartner += record.CarryUnitsRun;
            }
            return;
        }

        bool mine = record.Role == ContractRole.Owner ? record.Transfer.Owner == Self : record.Partner != Self && record.Transfer.Owner != Self;
        if (!mine)
        {
            throw new InvalidDataException($"contract journal record {index}: transfer {record.Transfer} is not this board's ({Self}) as {record.Role}");
        }

        if (!_transfers.TryGetValue(record.Transfer, out Entry? entry))
        {
            if (record.Kind is not (ContractJournalKind.Offered or ContractJournalKind.Prepared))
            {
                throw new InvalidDataException($"contract journal record {index}: {record.Kind} of transfer {record.Transfer} before its offer");
            }

            entry = new Entry(record.Role, record.Partner, record.Offer, TransferState.Judging);
            Create(entry);
        }
        else
        {
            bool legal = entry.Role == record.Role && entry.Partner == record.Partner && entry.Offer == record.Offer && (entry.State, record.Kind) switch
            {
                (TransferState.Offered or TransferState.Prepared, ContractJournalKind.Committed or ContractJournalKind.Aborted) => true,
                (TransferState.Committed, ContractJournalKind.Settled) => entry.Role == ContractRole.Owner,
                (TransferState.Committed, ContractJournalKind.Done) => entry.Role == ContractRole.Receiver,
                (TransferState.Done, ContractJournalKind.Closed) => true,
                _ => false,
            };
            if (!legal)
            {
                throw new InvalidDataException($"contract journal record {index}: {record.Kind} of transfer {record.Transfer} after {entry.State}");
            }
        }

        Apply(entry, record.Kind, record.UnitsRun);
    }

    private void Send(ContractEffects effects, Entry entry, in ContractMessage message)
    {
        int length = message.TryWrite(effects.ReservePayload(), _options.ClusterId, _signer);
        effects.AddSend(entry.Snapshot, message, length);
    }

    /// <summary>Answers about a transfer this board does not hold (an abort, an acknowledgement).</summary>
    private void SendUnheld(ContractEffects effects, NodeId partner, in ContractMessage message)
    {
        var offer = new ContractOffer(message.Transfer, 0, 0, 0, 0, 0, 0);
        var transfer = new ContractTransfer(message.Transfer.Owner == Self ? ContractRole.Owner : ContractRole.Receiver, partner, offer, TransferState.Aborted, 0);
        int length = message.TryWrite(effects.ReservePayload(), _options.ClusterId, _signer);
        effects.AddSend(transfer, message, length);
    }

    private void Create(Entry entry)
    {
        _transfers.Add(entry.Offer.Transfer, entry);
        _open++;
    }

    private void Remove(Entry entry)
    {
        if (_transfers.Remove(entry.Offer.Transfer) && !entry.Snapshot.IsFinished)
        {
            _open--;
        }

        entry.State = TransferState.Aborted; // no timer: Tick drops it from the timed list
    }

    private void Track(Entry entry)
    {
        if (!entry.Timed && entry.TimerMs != long.MaxValue)
        {
            entry.Timed = true;
            _timed.Add(entry);
        }
    }

    private Books BooksOf(NodeId partner)
    {
        if (!_books.TryGetValue(partner.Value, out Books? books))
        {
            books = new Books();
            _books.Add(partner.Value, books);
        }
        return books;
    }

    /// <summary>One transfer's mutable state on this side.</summary>
    private sealed class Entry(ContractRole role, NodeId partner, ContractOffer offer, TransferState state)
    {
        public ContractRole Role { get; } = role;

        public NodeId Partner { get; } = partner;

        public ContractOffer Offer { get; } = offer;

        public TransferState State { get; set; } = state;

        public uint UnitsRun { get; set; }

        /// <summary>When the next offer, query or done report goes out (offered, prepared, done).</summary>
        public long NextSendMs { get; set; } = long.MaxValue;

        /// <summary>True while in the timed list.</summary>
        public bool Timed { get; set; }

        public ContractTransfer Snapshot => new(Role, Partner, Offer, State, UnitsRun);

        /// <summary>When this entry's timer fires (<see cref="long.MaxValue"/>: it has none in its state).</summary>
        public long TimerMs => State switch
        {
            TransferState.Offered => Math.Min(NextSendMs, Offer.DecideByMs),
            TransferState.Judging => Offer.DecideByMs,
            TransferState.Prepared or TransferState.Done => NextSendMs,
            _ => long.MaxValue,
        };
    }

    /// <summary>Running sums of one partner's ledger entry.</summary>
    private sealed class Books
    {
        public long UnitsOut;
        public long PaidMicros;
        public long UnitsRunByPartner;
        public long UnitsIn;
        public long ReceivedMicros;
        public long UnitsRunForPartner;

        /// <summary>Adds what <paramref name="entry"/>'s journal records book (restore's <c>Apply</c> in sum).</summary>
        public void Add(Entry entry)
        {
            if (entry.State is not (TransferState.Committed or TransferState.Done or TransferState.Settled or TransferState.Closed))
            {
                return;
            }

            if (entry.Role == ContractRole.Owner)
            {
                UnitsOut += (long)entry.Offer.Units;
                PaidMicros += entry.Offer.PaymentMicros;
                UnitsRunByPartner += (long)entry.UnitsRun;
            }
            else
            {
                UnitsIn += (long)entry.Offer.Units;
                ReceivedMicros += entry.Offer.PaymentMicros;
                UnitsRunForPartner += (long)entry.UnitsRun;
            }
        }

        public ContractLedgerEntry Entry(NodeId partner) =>
            new(partner, UnitsOut, PaidMicros, UnitsRunByPartner, UnitsIn, ReceivedMicros, UnitsRunForPartner);
    }
}
