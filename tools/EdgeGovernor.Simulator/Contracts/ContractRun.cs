using System.Globalization;
using System.Text.Json;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Wire;
using EdgeGovernor.Simulator.Checkers;
using EdgeGovernor.Simulator.Adapters;
using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Randomness;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// The load contracts of a <c>run</c> scenario (<see cref="ContractWorkload"/>), and their checker. Each node has an
/// Ed25519 key (seeded from its index) and an <see cref="InMemoryContractJournal"/> that survives its crashes; every
/// node life hosts a <see cref="ContractHost"/> on its protocol node, rebuilt from that journal. Each contract's owner
/// offers on the scenario's schedule (seeded prices and classes; an offer falling while the owner is down is skipped).
/// At the end of the run <see cref="ContractOutcomeCheck"/> runs on the journals and on ledgers rebuilt from them; each
/// breach is a safety violation.
/// </summary>
internal sealed class ContractRun : SimulationChecker
{
    /// <summary>Keeps the offer workload's random streams apart from every other workload stream.</summary>
    private const ulong StreamBase = 0xC047_0000_0000_0000;

    private readonly ContractWorkload _workload;
    private readonly ulong _seed;
    private readonly ContractExchangeOptions[] _options;
    private readonly Ed25519Signer[] _signers;
    private readonly SigningRoster _roster = new();
    private readonly InMemoryContractJournal[] _journals;
    private readonly ContractTerms[][] _terms;
    private readonly ContractHost?[] _hosts;
    private readonly long[] _sendsRefused;
    private readonly long[] _faults;
    private Simulation? _sim;

    public ContractRun(ContractWorkload workload, int nodeCount, ulong seed)
    {
        _workload = workload;
        _seed = seed;
        _options = new ContractExchangeOptions[nodeCount];
        _signers = new Ed25519Signer[nodeCount];
        _journals = new InMemoryContractJournal[nodeCount];
        _terms = new ContractTerms[nodeCount][];
        _hosts = new ContractHost?[nodeCount];
        _sendsRefused = new long[nodeCount];
        _faults = new long[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            var self = new NodeId(NodeContext.NodeIdOf(i));
            _signers[i] = SimulatedBoardKey.For(i);
            _roster.Set(self, _signers[i].PublicKey);
            _journals[i] = new InMemoryContractJournal();
            _terms[i] = workload.TermsOf(i);
            _options[i] = new ContractExchangeOptions
            {
                Self = self,
                ClusterId = ProtocolNodeFactory.SimulatedClusterId,
                RetryMs = workload.RetryMs,
                QueryAfterMs = workload.QueryAfterMs,
            };
        }
    }

    /// <inheritdoc/>
    public override string Name => "contracts";

    /// <summary>Offers made.</summary>
    public long Offers { get; private set; }

    /// <summary>Offers skipped because the owner was down (or its exchange refused them).</summary>
    public long OffersSkipped { get; private set; }

    /// <summary>The end-of-run check (null until the run finished).</summary>
    public ContractOutcomeCheck? Outcome { get; private set; }

    /// <summary>Node <paramref name="node"/>'s journal.</summary>
    public InMemoryContractJournal JournalOf(int node) => _journals[node];

    /// <summary>Hosts an exchange on every new node life (after the factory's other components).</summary>
    public void Install(ProtocolNodeFactory factory)
    {
        Action<ProtocolNode, NodeContext>? before = factory.Configure;
        factory.Configure = (node, context) =>
        {
            before?.Invoke(node, context);
            int i = context.Index;
            if (_terms[i].Length > 0)
            {
                _hosts[i] = new ContractHost(node, _options[i], _signers[i], _roster, _journals[i], _workload, _terms[i], NowUs);
            }
        };
    }

    /// <inheritdoc/>
    public override void Attach(Simulation simulation)
    {
        _sim = simulation;
        foreach (ContractPair pair in _workload.Pairs)
        {
            var random = Xoshiro256StarStar.Derive(_seed, RandomStream.Workload, StreamBase + pair.ContractId);
            long phase = (long)random.NextBounded((ulong)_workload.EveryUs);
            var state = new OfferStream(pair, random);
            for (long t = _workload.StartUs + phase; t < _workload.StopUs; t += _workload.EveryUs)
            {
                simulation.Schedule(t, _ => Offer(state));
            }
        }
    }

    /// <inheritdoc/>
    public override void OnNodeCrashed(int node, int life, long timeUs)
    {
        if (_hosts[node] is { } host)
        {
            _sendsRefused[node] += host.SendsRefused;
            _faults[node] += host.Faults;
            _hosts[node] = null;
        }
    }

    /// <inheritdoc/>
    public override void OnFinished(long timeUs)
    {
        long nowMs = ContractWorkload.ToMs(NowUs);
        var check = new ContractOutcomeCheck();
        var partners = new SortedSet<(int A, int B)>();
        foreach (ContractPair p in _workload.Pairs)
        {
            partners.Add((Math.Min(p.Owner, p.Receiver), Math.Max(p.Owner, p.Receiver)));
        }

        // The ledgers as each board's journal has them (what a restart would rebuild), whether the node is up or not.
        var ledgers = partners.Select(pair =>
        {
            ContractExchange a = Rebuild(pair.A, nowMs);
            ContractExchange b = Rebuild(pair.B, nowMs);
            return (pair.A, pair.B, a.Ledger(b.Self), b.Ledger(a.Self));
        }).ToList();
        check.Run([.. _journals.Select(j => j.ReadAll())], ledgers);
        Outcome = check;
        foreach (string violation in check.Violations)
        {
            Violation(timeUs, violation);
        }

        if (Faults > 0)
        {
            Violation(timeUs, "the contract exchange or its host threw (the node dropped the message or tick)", Faults);
        }
    }

    /// <inheritdoc/>
    public override void WriteFigures(Utf8JsonWriter json)
    {
        json.WriteStartObject("contracts");
        json.WriteNumber("offers", Offers);
        json.WriteNumber("offers_skipped", OffersSkipped);
        if (Outcome is { } o)
        {
            json.WriteNumber("transfers", o.Transfers);
            json.WriteNumber("committed", o.Committed);
            json.WriteNumber("aborted", o.Aborted);
            json.WriteNumber("units_moved", o.UnitsMoved);
            json.WriteNumber("units_returned", o.UnitsReturned);
            json.WriteNumber("ledgers_compared", o.LedgersCompared);
            json.WriteNumber("violations", o.Violations.Count);
        }
        json.WriteNumber("sends_refused", SendsRefused);
        json.WriteNumber("faults", Faults);
        json.WriteEndObject();
    }

    /// <inheritdoc/>
    public override void WriteSummary(TextWriter output)
    {
        ContractOutcomeCheck o = Outcome ?? new ContractOutcomeCheck();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  contracts: {Offers} offers ({OffersSkipped} skipped), {o.Committed} committed ({o.UnitsMoved} units moved), {o.Aborted} aborted ({o.UnitsReturned} units run by their owner), {o.LedgersCompared} ledger pairs compared, {o.Violations.Count} violations"));
    }

    /// <summary>Exceptions out of the exchanges and their hosts, all lives.</summary>
    public long Faults => _faults.Sum() + _hosts.Sum(h => h?.Faults ?? 0);

    private long SendsRefused => _sendsRefused.Sum() + _hosts.Sum(h => h?.SendsRefused ?? 0);

    private long NowUs => Simulation.ClockOriginUs + (_sim?.NowUs ?? 0);

    private ContractExchange Rebuild(int node, long nowMs) =>
        new(_options[node], _signers[node], _roster, _journals[node].ReadAll(), nowMs);

    private void Offer(OfferStream s)
    {
        ContractPair p = s.Pair;
        if (_hosts[p.Owner] is not { } host)
        {
            OffersSkipped++;
            return;
        }

        uint price = p.PriceMinMicros + (uint)s.Random.NextBounded((ulong)(p.PriceMaxMicros - p.PriceMinMicros) + 1);
        byte jobClass = PickClass(p.Classes, ref s.Random);
        if (host.Offer(p.ContractId, jobClass, _workload.UnitsPerOffer, price, NowUs))
        {
            Offers++;
        }
        else
        {
            OffersSkipped++;
        }
    }

    private static byte PickClass(ulong classes, ref Xoshiro256StarStar random)
    {
        int pick = (int)random.NextBounded((ulong)System.Numerics.BitOperations.PopCount(classes));
        for (byte c = 0; c < 64; c++)
        {
            if ((classes & (1UL << c)) != 0 && pick-- == 0)
            {
                return c;
            }
        }

        return 0;
    }

    /// <summary>One contract's offer stream: its terms and its own seeded random state.</summary>
    private sealed class OfferStream(ContractPair pair, Xoshiro256StarStar random)
    {
        public ContractPair Pair { get; } = pair;

        public Xoshiro256StarStar Random = random;
    }
}
