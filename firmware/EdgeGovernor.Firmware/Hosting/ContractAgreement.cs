using EdgeGovernor.Firmware.Configuration;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// One contract as this board runs it: whether the partner holds the same one (its digest, <see cref="OnDigest"/>),
/// the resulting <see cref="ContractState"/> at a market hour, and the contract's books (units and payments each way, published from the exchange's ledger; offers refused, transfers
/// aborted). A contract is <see cref="ContractState.Active"/> only inside its validity period
/// and after a digest from the partner equal to this board's view; a differing digest makes it
/// <see cref="ContractState.Unmatched"/> again at once. Unmatched is reported once per episode
/// (<see cref="TakeReport"/>): when a differing digest arrives, or when none arrived within the grace period.
/// Written on the agent loop's thread; the counters and the state may be read from any thread.
/// </summary>
internal sealed class ContractAgreement(ContractDefinition terms, long startUs, long graceUs)
{
    private int _state = (int)ContractState.Unmatched;
    private bool _matched;
    private bool _reportDue;
    private bool _reported;
    private bool _heard;
    private long _unitsIn;
    private long _unitsOut;
    private long _paymentsInMicros;
    private long _paymentsOutMicros;
    private long _offersRefused;
    private long _transfersAborted;
    private long _digestsRefused;

    /// <summary>The contract's terms.</summary>
    public ContractDefinition Terms { get; } = terms;

    /// <summary>The state as of the last <see cref="Evaluate"/>.</summary>
    public ContractState State => (ContractState)Volatile.Read(ref _state);

    /// <summary>True when the partner's last digest equals this board's view.</summary>
    public bool Matched => _matched;

    /// <summary>Units received from the partner (committed, from the journal).</summary>
    public long UnitsIn => Interlocked.Read(ref _unitsIn);

    /// <summary>Units sent to the partner (committed).</summary>
    public long UnitsOut => Interlocked.Read(ref _unitsOut);

    /// <summary>Payments the partner owes this board for units it took (the run's currency).</summary>
    public double PaymentsIn => Interlocked.Read(ref _paymentsInMicros) / 1e6;

    /// <summary>Payments this board owes the partner for units the partner took.</summary>
    public double PaymentsOut => Interlocked.Read(ref _paymentsOutMicros) / 1e6;

    /// <summary>Offers the partner refused or this board refused.</summary>
    public long OffersRefused => Interlocked.Read(ref _offersRefused);

    /// <summary>Transfers aborted (no commit before the deadline, or refused at commit).</summary>
    public long TransfersAborted => Interlocked.Read(ref _transfersAborted);

    /// <summary>Digests from the partner that were malformed, misaddressed or badly signed.</summary>
    public long DigestsRefused => Interlocked.Read(ref _digestsRefused);

    /// <summary>
    /// The partner's mirrored digest arrived: true when it equals this board's view. A differing digest unmatches the
    /// contract and makes a report due.
    /// </summary>
    public bool OnDigest(ReadOnlySpan<byte> digest)
    {
        _heard = true;
        bool matched = Terms.MatchesPartnerDigest(digest);
        if (!matched && (_matched || !_reported))
        {
            _reportDue = true;
        }
        if (matched)
        {
            _reported = false;
        }
        _matched = matched;
        return matched;
    }

    /// <summary>A digest message from the partner was refused (malformed, misaddressed, bad signature).</summary>
    public void OnDigestRefused() => Interlocked.Increment(ref _digestsRefused);

    /// <summary>The state at market hour <paramref name="hour"/> and monotonic time <paramref name="nowUs"/>; true when it changed.</summary>
    public bool Evaluate(long hour, long nowUs)
    {
        ContractState state = hour < Terms.Contract.ValidFromHour ? ContractState.Pending
            : hour >= Terms.Contract.ValidToHour ? ContractState.Expired
            : _matched ? ContractState.Active
            : ContractState.Unmatched;
        if (!_matched && !_heard && !_reported && nowUs - startUs >= graceUs)
        {
            _reportDue = true;
        }
        int old = Interlocked.Exchange(ref _state, (int)state);
        return old != (int)state;
    }

    /// <summary>
    /// The unmatched report, once per episode: why the contract is not used (null when nothing is to be reported).
    /// </summary>
    public string? TakeReport()
    {
        if (!_reportDue || _matched)
        {
            _reportDue = false;
            return null;
        }
        _reportDue = false;
        _reported = true;
        return _heard
            ? $"contract with node {Terms.Partner} is unmatched: the partner's copy differs from this board's (prices, cap, migration cost, validity or job classes); it is never used until both hold the same terms"
            : $"contract with node {Terms.Partner} is unmatched: the partner has not confirmed it holds the same contract; it is never used until it does";
    }

    /// <summary>Publishes the books with the partner (from the exchange's journal-backed ledger) for readers on other threads.</summary>
    public void Publish(in Protocol.Contracts.ContractLedgerEntry books)
    {
        Interlocked.Exchange(ref _unitsIn, books.UnitsIn);
        Interlocked.Exchange(ref _unitsOut, books.UnitsOut);
        Interlocked.Exchange(ref _paymentsInMicros, books.ReceivedMicros);
        Interlocked.Exchange(ref _paymentsOutMicros, books.PaidMicros);
    }

    /// <summary>An offer refused (by either side).</summary>
    public void OfferRefused() => Interlocked.Increment(ref _offersRefused);

    /// <summary>A transfer aborted.</summary>
    public void TransferAborted() => Interlocked.Increment(ref _transfersAborted);
}
