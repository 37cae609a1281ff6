using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Scenarios;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// The validated <c>contracts</c> section of a <c>run</c> scenario (<see cref="ContractSection"/>): the contracts, the
/// offer schedule and the exchanges' settings, with every time in the unit its user needs.
/// </summary>
internal sealed record ContractWorkload
{
    /// <summary>The exchanges' clock: unix ms at node time 0 (2026-01-01), so deadlines are plausible dates.</summary>
    public const long EpochMs = 1_767_225_600_000;

    public required IReadOnlyList<ContractPair> Pairs { get; init; }

    public required uint UnitsPerOffer { get; init; }

    /// <summary>Simulated µs between two offers of one contract.</summary>
    public required long EveryUs { get; init; }

    public required long StartUs { get; init; }

    public required long StopUs { get; init; }

    public required long DecideMs { get; init; }

    public required long RunMs { get; init; }

    public required uint ReceiverCapacity { get; init; }

    public required long RetryMs { get; init; }

    public required long QueryAfterMs { get; init; }

    /// <summary>The exchange's time (unix ms) at node clock <paramref name="nodeUs"/>.</summary>
    public static long ToMs(long nodeUs) => EpochMs + (nodeUs / 1000);

    /// <summary>The node clock (µs) at exchange time <paramref name="ms"/> (<see cref="long.MaxValue"/> stays).</summary>
    public static long ToNodeUs(long ms) => ms == long.MaxValue ? long.MaxValue : (ms - EpochMs) * 1000;

    /// <summary>The contracts node <paramref name="node"/> holds, as its exchange enforces them.</summary>
    public ContractTerms[] TermsOf(int node) =>
    [
        .. Pairs.Where(p => p.Owner == node || p.Receiver == node).Select(p => new ContractTerms(
            p.ContractId,
            new NodeId(NodeContext.NodeIdOf(p.Owner == node ? p.Receiver : p.Owner)),
            p.PriceMinMicros,
            p.PriceMaxMicros,
            p.MaxUnits,
            p.Owner == node ? p.Classes : 0,
            p.Owner == node ? 0 : p.Classes,
            EpochMs,
            ContractLimits.MaxDeadlineMs)),
    ];

    /// <summary>The scenario's contract workload, or null without a <c>contracts</c> section.</summary>
    /// <exception cref="ScenarioException">A field is missing or out of range (named by its JSON path).</exception>
    public static ContractWorkload? From(Scenario scenario)
    {
        ContractSection? s = scenario.Source.Contracts;
        if (s is null)
        {
            return null;
        }

        string file = scenario.File;
        int nodes = scenario.Config.NodeCount;
        long durationUs = scenario.Config.DurationUs;
        ScenarioException Fail(string field, string reason) => new(file, "contracts." + field, reason);

        if (s.Pairs is not { Count: > 0 and <= 1000 })
        {
            throw Fail("pairs", "needs 1..1000 contracts");
        }

        uint units = s.UnitsPerOffer ?? 4;
        var pairs = new ContractPair[s.Pairs.Count];
        for (int i = 0; i < pairs.Length; i++)
        {
            ContractPairSection p = s.Pairs[i];
            string at = $"pairs[{i}]";
            int owner = Node(p.Owner, at + ".owner");
            int receiver = Node(p.Receiver, at + ".receiver");
            if (owner == receiver)
            {
                throw Fail(at + ".receiver", "must differ from the owner");
            }

            uint min = p.PriceMinMicros ?? 100_000;
            uint max = p.PriceMaxMicros ?? 200_000;
            if (min > max || max > ContractLimits.MaxUnitPriceMicros)
            {
                throw Fail(at + ".price_max_micros", $"must satisfy price_min_micros <= price_max_micros <= {ContractLimits.MaxUnitPriceMicros}");
            }

            uint cap = p.MaxUnitsPerHour ?? 16;
            if (cap is < 1 or > ContractLimits.MaxUnits)
            {
                throw Fail(at + ".max_units_per_hour", $"must be within 1..{ContractLimits.MaxUnits}");
            }

            if (units < 1 || units > cap)
            {
                throw Fail("units_per_offer", $"must be within 1..{cap} (the cap of {at})");
            }

            ulong classes = p.Classes ?? 1;
            if (classes == 0)
            {
                throw Fail(at + ".classes", "must name at least one job class (bit mask)");
            }

            pairs[i] = new ContractPair((uint)i + 1, owner, receiver, min, max, cap, classes);
        }

        long every = Micros(s.OfferEverySeconds ?? 1, "offer_every_seconds", 0.001);
        long start = Micros(s.StartSeconds ?? 2, "start_seconds", 0);
        long stop = Micros(s.StopSeconds ?? Math.Max(0, (durationUs / 1e6) - 20), "stop_seconds", 0);
        if (stop <= start || stop > durationUs)
        {
            throw Fail("stop_seconds", "must be after start_seconds and within duration_seconds");
        }

        long decide = Micros(s.DecideSeconds ?? 3, "decide_seconds", 0.001) / 1000;
        long run = Micros(s.RunSeconds ?? 2, "run_seconds", 0.001) / 1000;
        if (decide + run > ContractLimits.MaxRunSpanMs)
        {
            throw Fail("run_seconds", "decide_seconds + run_seconds must be within a week");
        }

        uint capacity = s.ReceiverCapacity ?? 64;
        if (capacity is < 1 or > 10_000_000)
        {
            throw Fail("receiver_capacity", "must be within 1..10000000");
        }

        long retry = s.RetryMs ?? 1000;
        long query = s.QueryAfterMs ?? 2000;
        if (retry is < 1 or > 3_600_000)
        {
            throw Fail("retry_ms", "must be within 1..3600000");
        }
        if (query is < 1 or > 3_600_000)
        {
            throw Fail("query_after_ms", "must be within 1..3600000");
        }

        return new ContractWorkload
        {
            Pairs = pairs,
            UnitsPerOffer = units,
            EveryUs = every,
            StartUs = start,
            StopUs = stop,
            DecideMs = decide,
            RunMs = run,
            ReceiverCapacity = capacity,
            RetryMs = retry,
            QueryAfterMs = query,
        };

        int Node(int? index, string field) =>
            index is int n && n >= 0 && n < nodes ? n : throw Fail(field, $"must be a node index 0..{nodes - 1}");

        long Micros(double seconds, string field, double min) =>
            double.IsFinite(seconds) && seconds >= min && seconds <= 1e7
                ? (long)Math.Round(seconds * 1e6)
                : throw Fail(field, FormattableString.Invariant($"must be a number of seconds within {min}..10000000"));
    }
}
