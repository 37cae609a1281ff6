using System.Globalization;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// Hosts the protocol's <see cref="ContractExchange"/> on a board: the two reliable unicast channels of the node
/// (the exchange's messages on <see cref="ExchangeChannel"/>, the contract digests on <see cref="DigestChannel"/>; never
/// multicast: contracts are private to the two partners), the journal file, each contract's
/// <see cref="ContractAgreement"/> (only an <see cref="ContractState.Active"/> one is used: offers are made under it and
/// offers under any other are refused), and the rack's work (<see cref="ContractRackWork"/>).
/// <para>
/// The exchange's effects are carried out in order (<see cref="Execute"/>): a journal record is appended and fsynced
/// before the next effect, so no message that depends on it leaves first; sends go to the node's reliable unicast;
/// an offer to judge is answered by the rack's plan; a commit moves the units (the owner's leave its queue at the offer
/// and come back on an abort; the receiver's join its queue at the commit); a received transfer is reported done when
/// the receiver's queue of that class ran empty before its run-by deadline, else at the deadline with the units left
/// counted against it. On start, open transfers rebuilt from the journal are applied to the rack once it has its day's
/// work (<see cref="Step"/>'s first call): nothing offered or committed away runs here, nothing received is lost; a
/// received one already past its deadline is reported done at that step with every unit left.
/// Each step first lets the <see cref="ContractJournalCompactor"/> compact the journal when due; a new transfer (own
/// offer, or accepting a partner's) is only started while the journal has room for it and the open ones.
/// </para>
/// <para>
/// A journal that cannot be written (an append or a compaction's rewrite fails with an I/O error: EIO, ENOSPC, EROFS,
/// the file removed) halts the contracts alone: the rest of the batch of effects is dropped (no message whose record is
/// not on disk leaves), the error is logged once naming the file, and while <see cref="Halted"/> no transfer starts, no
/// offer is answered and contract messages are dropped (the partner repeats offers, queries and done reports). The
/// rest of the node runs on. Every <see cref="RetryFirstUs"/> doubling to <see cref="RetryMaxUs"/> (the loop's time)
/// the journal is reopened (<see cref="ContractJournalOpen"/>: the file must be there) and the exchange rebuilt from
/// the records on disk, as a restart would; the rack's work is then brought in line with the rebuilt transfers by the
/// same path start-up uses (<see cref="Reconcile"/>): per transfer, only the difference between the units the
/// transfers imply and the units this host applied to the rack. A journal that cannot be reopened or is damaged keeps
/// the contracts halted (logged at each retry); <see cref="Health"/> shows it.
/// </para>
/// <para>
/// Times: the exchange runs on wall-clock unix milliseconds; contract validity and deadlines are market hours (the same
/// instants in live operation; the demo's accelerated clock maps them through <see cref="MarketClock"/>).
/// Runs on the agent loop's thread; the agreements' counters may be read from any thread.
/// </para>
/// </summary>
internal sealed class ContractHost : IProtocolComponent, IMembershipListener, IDisposable
{
    /// <summary>The exchange's channel (the price log uses 1).</summary>
    public const byte ExchangeChannel = 2;

    /// <summary>The digest channel.</summary>
    public const byte DigestChannel = 3;

    /// <summary>How long an owner waits for the partner's accept (wall ms).</summary>
    public const long DecideWindowMs = 10_000;

    /// <summary>First wait before reopening a journal that failed (loop µs); doubled after every failure in a row.</summary>
    public const long RetryFirstUs = 1_000_000;

    /// <summary>Longest wait between reopening attempts (loop µs).</summary>
    public const long RetryMaxUs = 60_000_000;

    private readonly uint _self;
    private readonly uint _clusterId;
    private readonly ProtocolNode _node;
    private readonly IMessageSigner _signer;
    private readonly ISignatureVerifier _verifier;
    private readonly ContractJournalOpen _open;
    private readonly ContractDefinition[] _contracts;
    private readonly ContractExchangeOptions _options;
    private readonly ContractRackWork _work;
    private readonly MarketClock _market;
    private readonly Logger _log;
    private readonly ContractJournalCompactor _compactor;
    private readonly ContractJournalHealth _health = new();
    private readonly Dictionary<TransferId, Applied> _applied = []; // units this host moved into (+) or out of (-) the rack, per transfer still due
    private readonly List<TransferId> _gone = [];
    private IContractJournal _journal;
    private ContractExchange _exchange;
    private bool _halted;
    private long _retryAtUs;
    private long _backoffUs;
    private long _resumedAtUs;
    private readonly ContractEffects _effects = new();
    private readonly ContractEffects _answers = new();
    private readonly List<TransferId> _judge = [];
    private readonly List<Received> _received = [];
    private readonly ContractAgreement[] _agreements;
    private readonly long[] _unitsThisHour;
    private readonly byte[] _digest = new byte[ContractDigestMessage.Size];
    private readonly double[] _lastPrices = new double[ContractRackWork.HorizonHours];
    private long _hourOfCounts = long.MinValue;
    private long _nowUs;
    private long _unixMs;
    private readonly long _decideWindowMs;
    private readonly List<Received> _pending = []; // rack changes held back: Units signed (joining / leaving), RunByHour the due hour
    private bool _rackReady;

    /// <summary>Opens the journal (<paramref name="openJournal"/>, which it then owns), builds the exchange from it and
    /// registers the two channels on <paramref name="node"/>.</summary>
    /// <exception cref="InvalidDataException">The journal is damaged or holds a step the exchange cannot take (names the record, and the file
    /// of a <see cref="ContractFileJournal"/>).</exception>
    /// <exception cref="IOException">The journal cannot be opened.</exception>
    public ContractHost(FirmwareConfig config, ContractDefinition[] contracts, ProtocolNode node, IMessageSigner signer, ISignatureVerifier verifier,
        ContractJournalOpen openJournal, ContractRackWork work, MarketClock market, Logger log, long nowUs, long unixMs, long digestGraceUs, long decideWindowMs = DecideWindowMs)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(openJournal);
        _self = config.NodeId;
        _clusterId = config.ClusterId;
        _node = node;
        _signer = signer;
        _verifier = verifier;
        _open = openJournal;
        _contracts = contracts;
        _work = work;
        _market = market;
        _log = log;
        _decideWindowMs = decideWindowMs;
        _nowUs = nowUs;
        _resumedAtUs = nowUs;
        _unixMs = unixMs;
        _options = new ContractExchangeOptions { Self = new NodeId(config.NodeId), ClusterId = config.ClusterId, Channel = ExchangeChannel };
        _journal = openJournal(reopening: false);
        try
        {
            _exchange = Build(_journal, unixMs);
        }
        catch
        {
            (_journal as IDisposable)?.Dispose();
            throw;
        }
        _compactor = new ContractJournalCompactor(log, unixMs);
        _agreements = new ContractAgreement[contracts.Length];
        for (int i = 0; i < contracts.Length; i++)
        {
            _agreements[i] = new ContractAgreement(contracts[i], nowUs, digestGraceUs);
        }
        _unitsThisHour = new long[contracts.Length];
        Array.Fill(_lastPrices, double.NaN);
        int applied = Reconcile(MarketHour(unixMs));
        if (applied > 0)
        {
            _log.Notice(string.Create(CultureInfo.InvariantCulture, $"contracts: {applied} transfers from the journal applied to the rack's work"));
        }
        node.RegisterChannel(ExchangeChannel, this);
        node.RegisterChannel(DigestChannel, this);
        Publish();
    }

    /// <summary>Every contract's agreement (state and books).</summary>
    public IReadOnlyList<ContractAgreement> Agreements => _agreements;

    /// <summary>The journal's compaction and room (counters; loop thread only).</summary>
    public ContractJournalCompactor Compactor => _compactor;

    /// <summary>The exchange (counters, transfers; loop thread only; a new one after each recovery).</summary>
    public ContractExchange Exchange => _exchange;

    /// <summary>The journal (loop thread only; a new one after each recovery; closed while halted).</summary>
    public IContractJournal Journal => _journal;

    /// <summary>True while the contracts are halted on a journal that cannot be written (loop thread).</summary>
    public bool Halted => _halted;

    /// <summary>The journal's health and the compactor's counters (any thread).</summary>
    public ContractJournalHealth Health => _health;

    /// <summary>Contract messages that could not be queued for sending (the unicast window to the partner was full).</summary>
    public long SendsDropped { get; private set; }

    /// <inheritdoc/>
    public long NextDeadlineUs => long.MaxValue; // ticked by the contract duty

    /// <inheritdoc/>
    public void Tick(long nowUs)
    {
    }

    /// <inheritdoc/>
    public void OnDatagram(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
    {
    }

    /// <inheritdoc/>
    public void OnUnicast(NodeId sender, byte channel, ReadOnlySpan<byte> payload, long nowUs)
    {
        _nowUs = nowUs;
        if (channel == DigestChannel)
        {
            OnDigest(sender, payload);
            return;
        }
        if (_halted)
        {
            _health.OnDropped(); // the partner repeats what matters
            return;
        }
        _exchange.Receive(sender, payload, _unixMs, _effects);
        Execute();
    }

    /// <summary>
    /// One turn of the contract duty at monotonic <paramref name="nowUs"/>, wall <paramref name="unixMs"/>: states at
    /// the market hour, unmatched reports, the exchange's timers, done reports of received units and, when
    /// <paramref name="decide"/>, new offers from the rack's plan priced with <paramref name="eurPerKwh"/> (per hour from
    /// now, at least <see cref="ContractRackWork.HorizonHours"/>).
    /// </summary>
    public void Step(long nowUs, long unixMs, ReadOnlySpan<double> eurPerKwh, bool decide)
    {
        _nowUs = nowUs;
        _unixMs = unixMs;
        eurPerKwh[..ContractRackWork.HorizonHours].CopyTo(_lastPrices); // what offers arriving before the next step are judged with
        long hour = MarketHour(unixMs);
        if (!_rackReady)
        {
            // The rack has its day's work now (the control step ran first): the changes held back since start apply.
            _rackReady = true;
            foreach (Received p in _pending)
            {
                ChangeRack(p.Job, p.Units, p.RunByHour);
            }
            _pending.Clear();
        }
        if (hour != _hourOfCounts)
        {
            _hourOfCounts = hour;
            Array.Clear(_unitsThisHour);
            Forget(hour);
        }
        foreach (ContractAgreement a in _agreements)
        {
            if (a.Evaluate(hour, nowUs))
            {
                _log.Notice($"contract {a.Terms.Id} with node {a.Terms.Partner}: {a.State.ToString().ToLowerInvariant()}");
            }
            if (a.TakeReport() is string report)
            {
                _log.Warning(report);
            }
        }
        if (_halted && !TryResume(nowUs, unixMs, hour))
        {
            Publish();
            return;
        }
        if (_compactor.Maintain(_journal, _exchange, unixMs) is Exception failed) // between exchange calls: no effect of the exchange is pending
        {
            Halt(failed);
            Publish();
            return;
        }
        _exchange.Tick(unixMs, _effects);
        Execute();
        if (!_halted)
        {
            FinishReceived(hour);
        }
        if (decide && !_halted)
        {
            Offer(hour, eurPerKwh);
        }
        Publish();
    }

    /// <inheritdoc/>
    public void Dispose() => (_journal as IDisposable)?.Dispose();

    /// <summary>Sends each partner this board's mirrored digest of their contract (on start and periodically).</summary>
    public void SendDigests(long nowUs)
    {
        foreach (ContractAgreement a in _agreements)
        {
            SendDigest(a, nowUs);
        }
    }

    /// <summary>A partner came up (first heard, or restarted): it gets this board's digest at once, not a period later.</summary>
    public void OnMemberAlive(NodeId member, ulong incarnation, long nowUs)
    {
        if (Find(member.Value) is ContractAgreement a)
        {
            SendDigest(a, nowUs);
        }
    }

    /// <inheritdoc/>
    public void OnMemberFailed(NodeId member, ulong incarnation, long nowUs)
    {
    }

    private void SendDigest(ContractAgreement a, long nowUs)
    {
        var message = new ContractDigestMessage(_self, a.Terms.Partner, a.Terms.Id, a.Terms.MirroredDigest);
        if (message.TryWrite(_digest, _clusterId, _signer) && !_node.TrySend(new NodeId(a.Terms.Partner), DigestChannel, _digest, nowUs))
        {
            SendsDropped++;
        }
    }

    private void OnDigest(NodeId sender, ReadOnlySpan<byte> payload)
    {
        ContractAgreement? agreement = Find(sender.Value);
        if (agreement is null)
        {
            _log.Warning($"contract digest from node {sender.Value}, with which this board holds no contract: ignored");
            return;
        }
        if (ContractDigestMessage.TryRead(payload, sender.Value, _self, _clusterId, _verifier, out ContractDigestMessage message) is string why)
        {
            agreement.OnDigestRefused();
            _log.Warning(why);
            return;
        }
        bool was = agreement.Matched;
        bool matched = message.ContractId == agreement.Terms.Id && agreement.OnDigest(message.Digest.Span);
        if (message.ContractId != agreement.Terms.Id)
        {
            agreement.OnDigest(default);
        }
        if (matched && !was)
        {
            _log.Info($"contract {agreement.Terms.Id} with node {sender.Value}: both boards hold the same terms");
        }
    }

    private void Offer(long hour, ReadOnlySpan<double> eurPerKwh)
    {
        for (int i = 0; i < _agreements.Length; i++)
        {
            ContractAgreement a = _agreements[i];
            if (a.State != ContractState.Active)
            {
                continue;
            }
            ulong classes = a.Terms.Contract.ClassesOut;
            for (int job = 0; job < 64 && classes != 0; job++, classes >>= 1)
            {
                int capLeft = (int)(a.Terms.Contract.MaxUnitsPerHour - _unitsThisHour[i]);
                if ((classes & 1) == 0 || capLeft <= 0)
                {
                    continue;
                }
                ReceivedOf(job, out int received, out long receivedDue);
                if (!_work.TryPlanOffer(a.Terms.Contract, a.Terms.Hysteresis, job, hour, eurPerKwh, capLeft, received, receivedDue,
                    out int units, out double price, out long runByHour))
                {
                    continue;
                }
                if (_halted || !_compactor.HasRoomForNewTransfer(_journal, _exchange.OpenTransfers))
                {
                    return;
                }
                long runByMs = WallMs(runByHour);
                long decideByMs = Math.Min(_unixMs + _decideWindowMs, runByMs - 1);
                uint priceMicros = (uint)Math.Round(price * ContractLimits.MicrosPerUnitOfMoney);
                if (_exchange.TryOffer(a.Terms.Id, (byte)job, (uint)units, priceMicros, decideByMs, runByMs, _unixMs, _effects, out TransferId id))
                {
                    Apply(id, job, -units, runByHour); // neither run nor offered again until the outcome
                    _unitsThisHour[i] += units;
                    Execute();
                    if (_halted)
                    {
                        return;
                    }
                }
            }
        }
    }

    /// <summary>Carries out the effects in order (see the type's summary), then answers the offers to judge; stops at a
    /// journal record that could not be written (halted: nothing after it is carried out).</summary>
    private void Execute()
    {
        for (int i = 0; i < _effects.Count && !_halted; i++)
        {
            Carry(_effects, i);
        }
        _effects.Clear();
        while (_judge.Count > 0 && !_halted)
        {
            TransferId id = _judge[^1];
            _judge.RemoveAt(_judge.Count - 1);
            if (!_exchange.TryGetTransfer(id, out ContractTransfer t))
            {
                continue;
            }
            RefuseReason reason = !_compactor.HasRoomForNewTransfer(_journal, _exchange.OpenTransfers - 1) ? RefuseReason.Busy
                : JudgeOffer(t) ? RefuseReason.None : RefuseReason.Declined;
            _exchange.Answer(id, reason, _unixMs, _answers);
            for (int k = 0; k < _answers.Count && !_halted; k++)
            {
                Carry(_answers, k);
            }
            _answers.Clear();
        }
        _judge.Clear(); // halted: the offers being judged were not journalled; the rebuilt exchange hears them again
    }

    private void Carry(ContractEffects effects, int index)
    {
        ref readonly ContractEffect e = ref effects[index];
        ContractOffer offer = e.Transfer.Offer;
        bool owner = e.Transfer.Role == ContractRole.Owner;
        switch (e.Kind)
        {
            case ContractEffectKind.Journal:
                try
                {
                    _journal.Append(e.Record);
                }
                catch (Exception x) when (x is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    Halt(x);
                }
                break;
            case ContractEffectKind.Send:
                if (!_node.TrySend(e.Message.To, ExchangeChannel, effects.Payload(index), _nowUs))
                {
                    SendsDropped++; // the exchange repeats what matters (offers, queries, done reports)
                }
                break;
            case ContractEffectKind.Judge:
                _judge.Add(offer.Transfer);
                break;
            case ContractEffectKind.Committed when !owner:
                Apply(offer.Transfer, offer.JobClass, (int)offer.Units, MarketHour(offer.RunByMs));
                _received.Add(new Received(offer.Transfer, offer.JobClass, (int)offer.Units, MarketHour(offer.RunByMs), offer.Units));
                break;
            case ContractEffectKind.Aborted when owner:
                // Run them here after all: what this host took out for the transfer goes back. Nothing, when it was
                // taken out by a board that restarted past the run-by hour (the fresh rack never lost them, and they
                // are past due).
                if (_applied.TryGetValue(offer.Transfer, out Applied taken) && taken.Units < 0)
                {
                    Apply(offer.Transfer, offer.JobClass, -taken.Units, MarketHour(offer.RunByMs));
                }
                Find(e.Transfer.Partner.Value)?.TransferAborted();
                if (e.Reason != RefuseReason.None)
                {
                    Find(e.Transfer.Partner.Value)?.OfferRefused();
                }
                break;
            case ContractEffectKind.Aborted:
                Find(e.Transfer.Partner.Value)?.TransferAborted();
                break;
        }
    }

    private bool JudgeOffer(in ContractTransfer t)
    {
        ContractAgreement? a = Find(t.Partner.Value);
        if (a is null || a.State != ContractState.Active)
        {
            a?.OfferRefused();
            return false; // a contract the partner alone holds, or outside its period: never used
        }
        int index = Array.IndexOf(_agreements, a);
        ContractOffer o = t.Offer;
        long hour = MarketHour(_unixMs);
        if (_unitsThisHour[index] + o.Units > a.Terms.Contract.MaxUnitsPerHour)
        {
            a.OfferRefused();
            return false;
        }
        ReservedOf(o.JobClass, out int reserved, out long reservedDue);
        bool accept = _work.Judge(a.Terms.Hysteresis, o.JobClass, (int)o.Units, o.UnitPriceMicros / (double)ContractLimits.MicrosPerUnitOfMoney,
            MarketHour(o.RunByMs), hour, _lastPrices, reserved, reservedDue);
        if (accept)
        {
            _unitsThisHour[index] += o.Units;
        }
        else
        {
            a.OfferRefused();
        }
        return accept;
    }

    // Receiver: units prepared here (capacity reserved) of a class and their earliest deadline.
    private void ReservedOf(int job, out int units, out long dueHour)
    {
        units = 0;
        dueHour = long.MaxValue;
        foreach (ContractTransfer t in _exchange.Transfers)
        {
            if (t.Role == ContractRole.Receiver && t.State == TransferState.Prepared && t.Offer.JobClass == job)
            {
                units += (int)t.Offer.Units;
                dueHour = Math.Min(dueHour, MarketHour(t.Offer.RunByMs));
            }
        }
    }

    // Receiver: units received and queued, not yet reported done, of a class and their earliest deadline.
    private void ReceivedOf(int job, out int units, out long dueHour)
    {
        units = 0;
        dueHour = long.MaxValue;
        foreach (Received r in _received)
        {
            if (r.Job == job)
            {
                units += r.Units;
                dueHour = Math.Min(dueHour, r.RunByHour);
            }
        }
    }

    private void FinishReceived(long hour)
    {
        for (int i = _received.Count - 1; i >= 0; i--)
        {
            Received r = _received[i];
            double queued = _work.Queued(r.Job);
            uint run;
            if (hour < r.RunByHour && queued < 1e-6)
            {
                run = (uint)r.Units; // the class's queue ran empty before the deadline: every unit ran
            }
            else if (hour >= r.RunByHour)
            {
                run = r.LastRun; // at the deadline: what was left at the last look counts against the partner's units first
            }
            else
            {
                int left = (int)Math.Ceiling(Math.Max(0, queued - OtherReceived(r)) - 1e-6);
                _received[i] = r.WithLastRun(RunAfterLook(r.Units, left));
                continue;
            }
            _exchange.ReportDone(r.Id, run, _unixMs, _effects);
            Execute();
            if (_halted)
            {
                return; // kept: reported again after the recovery
            }
            _received.RemoveAt(i);
        }
    }

    // A look before the deadline: the class's units left on the rack count against the partner's units first; the
    // rest of the partner's ran.
    private static uint RunAfterLook(int units, int left) => (uint)Math.Max(0, units - Math.Min(units, left));

    private int OtherReceived(in Received r)
    {
        int n = 0;
        foreach (Received o in _received)
        {
            if (o.Job == r.Job && o.Id != r.Id)
            {
                n += o.Units;
            }
        }
        return n;
    }

    // Units join (positive) or leave (negative) the rack's queue; held back until the rack has its day's work (the first
    // step), so that nothing done before it is overwritten by the day's release.
    private void ChangeRack(int job, double units, long dueHour)
    {
        if (!_rackReady)
        {
            _pending.Add(new Received(default, job, (int)units, dueHour, 0));
        }
        else if (units < 0)
        {
            _work.Rack.ContractTake(job, -units);
        }
        else
        {
            _work.Rack.ContractAdd(job, units, dueHour);
        }
    }

    // Units move into (positive) or out of (negative) the rack for a transfer; remembered per transfer, so that after a
    // recovery only the difference to what the rebuilt transfers imply is applied.
    private void Apply(TransferId id, int job, int units, long dueHour)
    {
        ChangeRack(job, units, dueHour);
        int total = (_applied.TryGetValue(id, out Applied a) ? a.Units : 0) + units;
        if (total == 0)
        {
            _applied.Remove(id);
        }
        else
        {
            _applied[id] = new Applied(job, total, dueHour);
        }
    }

    // Transfers past their run-by hour are the day's history: neither start-up nor a recovery changes the rack for them.
    private void Forget(long hour)
    {
        foreach ((TransferId id, Applied a) in _applied)
        {
            if (a.DueHour <= hour)
            {
                _applied.Remove(id);
            }
        }
    }

    /// <summary>
    /// Brings the rack's work in line with the exchange's transfers (at start, and after a recovery rebuilt the exchange
    /// from the journal). Per transfer still due, the rack should carry: owner, −units while offered, committed or
    /// settled (in flight, or the partner's); receiver, +units once committed (this board's to run). Only the difference
    /// to what this host applied is changed: at start nothing is applied (the rack holds its day's work; received units
    /// already reported done ran before the restart), after a recovery what <see cref="Apply"/> recorded. Units applied
    /// for a transfer the journal does not hold (its first record never reached the disk) go back. Received transfers
    /// committed and not yet reported done are tracked (<c>_received</c>), and only those; one already past its run-by
    /// hour that was not tracked (the board was down across the deadline, or its commit record failed) never joined this
    /// rack: tracked with every unit left, so the next step reports it done with none run. Returns the transfers changed.
    /// </summary>
    private int Reconcile(long hour)
    {
        int changed = 0;
        foreach (ContractTransfer t in _exchange.Transfers)
        {
            ContractOffer o = t.Offer;
            long due = MarketHour(o.RunByMs);
            bool owner = t.Role == ContractRole.Owner;
            int units = (int)o.Units;
            if (due <= hour)
            {
                _applied.Remove(o.Transfer);
                if (!owner && t.State == TransferState.Committed && !IsReceived(o.Transfer))
                {
                    // Past its deadline and not on this rack (the board was down across it, or the commit's record
                    // failed): the last look finds every unit left; the next step reports it done at the deadline.
                    _received.Add(new Received(o.Transfer, o.JobClass, units, due, RunAfterLook(units, left: units)));
                }
                continue;
            }
            int target = owner
                ? t.State is TransferState.Offered or TransferState.Committed or TransferState.Settled ? -units : 0
                : t.State is TransferState.Committed or TransferState.Done or TransferState.Closed ? units : 0;
            int applied = _applied.TryGetValue(o.Transfer, out Applied a) ? a.Units
                : !owner && t.State is TransferState.Done or TransferState.Closed ? units : 0;
            if (target != applied)
            {
                Apply(o.Transfer, o.JobClass, target - applied, due);
                changed++;
            }
            if (!owner && t.State == TransferState.Committed && !IsReceived(o.Transfer))
            {
                _received.Add(new Received(o.Transfer, o.JobClass, units, due, o.Units));
            }
        }
        _gone.Clear();
        foreach (TransferId id in _applied.Keys)
        {
            if (!_exchange.TryGetTransfer(id, out _))
            {
                _gone.Add(id);
            }
        }
        foreach (TransferId id in _gone)
        {
            Applied a = _applied[id];
            Apply(id, a.Job, -a.Units, a.DueHour);
            changed++;
        }
        for (int i = _received.Count - 1; i >= 0; i--)
        {
            if (!_exchange.TryGetTransfer(_received[i].Id, out ContractTransfer t) || t.Role != ContractRole.Receiver || t.State != TransferState.Committed)
            {
                _received.RemoveAt(i);
            }
        }
        return changed;
    }

    private bool IsReceived(TransferId id)
    {
        foreach (Received r in _received)
        {
            if (r.Id == id)
            {
                return true;
            }
        }
        return false;
    }

    private ContractExchange Build(IContractJournal journal, long unixMs)
    {
        ContractExchange exchange;
        try
        {
            exchange = new ContractExchange(_options, _signer, _verifier, journal.ReadAll(), unixMs);
        }
        catch (InvalidDataException e) when (journal is ContractFileJournal file)
        {
            throw file.Refuse($"cannot be restored: {e.Message}", e);
        }
        foreach (ContractDefinition c in _contracts)
        {
            exchange.AddContract(c.ExchangeTerms);
        }
        return exchange;
    }

    // The journal could not be written: the contracts halt (see the type's summary). The journal is closed at once: a
    // torn record may end it, and nothing may follow that.
    private void Halt(Exception e)
    {
        _halted = true;
        ScheduleRetry(_nowUs, afresh: _nowUs - _resumedAtUs >= RetryMaxUs);
        string error = ErrorText.Describe(e);
        _health.OnHalted(error);
        (_journal as IDisposable)?.Dispose();
        _log.Error(string.Create(CultureInfo.InvariantCulture,
            $"contracts halted: the contract journal cannot be written ({error}); no contract message depending on it was sent. No transfer starts, no offer is answered and contract messages are dropped until the journal is reopened (next try in {_backoffUs / 1_000_000.0:0.#} s); the rest of the node runs on"));
    }

    // The next reopening: RetryFirstUs after a first failure (or one after a minute of running well), else double the
    // last wait, at most RetryMaxUs.
    private void ScheduleRetry(long nowUs, bool afresh)
    {
        _backoffUs = afresh || _backoffUs == 0 ? RetryFirstUs : Math.Min(RetryMaxUs, _backoffUs * 2);
        _retryAtUs = nowUs + _backoffUs;
    }

    // Halted: when the backoff is over, reopens the journal and rebuilds the exchange from it, as a restart would.
    private bool TryResume(long nowUs, long unixMs, long hour)
    {
        if (nowUs < _retryAtUs)
        {
            return false;
        }
        IContractJournal? journal = null;
        ContractExchange exchange;
        try
        {
            journal = _open(reopening: true);
            exchange = Build(journal, unixMs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            (journal as IDisposable)?.Dispose();
            ScheduleRetry(nowUs, afresh: false);
            _log.Error(string.Create(CultureInfo.InvariantCulture,
                $"contracts still halted: the contract journal cannot be reopened ({ErrorText.Describe(e)}); next try in {_backoffUs / 1_000_000.0:0.#} s"));
            return false;
        }
        _journal = journal;
        _exchange = exchange;
        _halted = false;
        _resumedAtUs = nowUs;
        int changed = Reconcile(hour);
        _health.OnRecovered();
        _log.Notice(string.Create(CultureInfo.InvariantCulture,
            $"contracts resumed: the journal was reopened and {exchange.HeldTransfers} transfers rebuilt from its {journal.ReadAll().Count} records ({changed} changed the rack's work)"));
        return true;
    }

    private void Publish()
    {
        _health.Publish(_journal.Bytes, _journal.CapacityBytes, _compactor);
        if (_halted)
        {
            return; // the books stay as last published: the exchange in memory may be ahead of the journal
        }
        foreach (ContractAgreement a in _agreements)
        {
            a.Publish(_exchange.Ledger(new NodeId(a.Terms.Partner)));
        }
    }

    private ContractAgreement? Find(uint partner)
    {
        foreach (ContractAgreement a in _agreements)
        {
            if (a.Terms.Partner == partner)
            {
                return a;
            }
        }
        return null;
    }

    private long MarketHour(long unixMs) => _market.At(unixMs).Ticks / TimeSpan.TicksPerHour;

    private long WallMs(long marketHour) => _market.UnixMsAt(new DateTime(marketHour * TimeSpan.TicksPerHour, DateTimeKind.Unspecified));

    /// <summary>Units of job class <see cref="Job"/> this host moved into (+) or out of (−) the rack for one transfer, due by <see cref="DueHour"/>.</summary>
    private readonly record struct Applied(int Job, int Units, long DueHour);

    /// <summary>A transfer received and queued on the rack, not yet reported done.</summary>
    private readonly struct Received(TransferId id, int job, int units, long runByHour, uint lastRun)
    {
        public TransferId Id { get; } = id;

        public int Job { get; } = job;

        public int Units { get; } = units;

        public long RunByHour { get; } = runByHour;

        /// <summary>Units counted run at the last look before the deadline.</summary>
        public uint LastRun { get; } = lastRun;

        public Received WithLastRun(uint run) => new(Id, Job, Units, RunByHour, run);
    }
}
