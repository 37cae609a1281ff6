using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Simulator.Contracts;
using EdgeGovernor.Simulator.Engine;
using EdgeGovernor.Simulator.Scenarios;
using EdgeGovernor.Simulator.Tests.Scenarios;

namespace EdgeGovernor.Simulator.Tests.Contracts;

public class ContractScenarioTests
{
    private static (Simulation Sim, ContractRun Run) RunContracts(ulong seed)
    {
        Scenario scenario = ScenarioLoader.Load(RepoPaths.Scenario("contracts-loss-20.json"), seed);
        Simulation sim = ShippedScenarioTests.RunScenario(scenario);
        return (sim, Assert.IsType<ContractRun>(sim.Checkers.Single(c => c is ContractRun)));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    [InlineData(5UL)]
    public void Contracts_with_loss_and_crashes_run_every_unit_exactly_once_and_ledgers_agree(ulong seed)
    {
        (Simulation sim, ContractRun run) = RunContracts(seed);
        Assert.Empty(sim.Checkers.SelectMany(c => c.Samples));
        Assert.Equal(0, sim.Checkers.Sum(c => c.Violations));
        ContractOutcomeCheck outcome = run.Outcome!;
        Assert.Equal(2, sim.Stats.Crashes);
        Assert.Equal(2, sim.Stats.Restarts);
        Assert.True(sim.Stats.LostAtReceiver > 1_000, $"{sim.Stats.LostAtReceiver} datagrams lost");
        Assert.True(run.OffersSkipped > 0, "owner 0 is down for 5 s: its offers then are skipped");
        Assert.Equal(run.Offers, outcome.Transfers);
        Assert.Equal(outcome.Transfers, outcome.Committed + outcome.Aborted);
        Assert.True(outcome.Committed > 100, $"{outcome.Committed} committed");
        Assert.Equal(outcome.Committed * 4L, outcome.UnitsMoved);
        Assert.Equal(3, outcome.LedgersCompared);
        Assert.Equal(0, run.Faults);

        // Units moved to a receiver that crashed (node 3) and were settled with its owner after its restart.
        NodeId three = new(NodeContext.NodeIdOf(3));
        Assert.Contains(run.JournalOf(2).ReadAll(), r => r.Kind == ContractJournalKind.Settled && r.Partner == three);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Contracts_across_a_partition_abort_in_doubt_transfers_on_both_sides(ulong seed)
    {
        Simulation sim = ShippedScenarioTests.RunScenario(ScenarioLoader.Load(RepoPaths.Scenario("contracts-partition.json"), seed));
        ContractRun run = Assert.IsType<ContractRun>(sim.Checkers.Single(c => c is ContractRun));
        Assert.Empty(sim.Checkers.SelectMany(c => c.Samples));
        Assert.Equal(0, sim.Checkers.Sum(c => c.Violations));
        ContractOutcomeCheck outcome = run.Outcome!;
        Assert.True(outcome.Committed > 50, $"{outcome.Committed} committed");
        Assert.True(outcome.Aborted > 16, $"{outcome.Aborted} aborted: the partition holds 8 s of both contracts' offers");
        Assert.Equal(2, outcome.LedgersCompared);
    }

    [Fact]
    public void Across_a_partition_a_prepared_receiver_learns_the_owners_abort()
    {
        // Seeded run: with seed 1 a receiver prepared before the cut and learnt the owner's decide-by abort afterwards.
        Simulation sim = ShippedScenarioTests.RunScenario(ScenarioLoader.Load(RepoPaths.Scenario("contracts-partition.json"), 1));
        ContractRun run = Assert.IsType<ContractRun>(sim.Checkers.Single(c => c is ContractRun));
        Assert.Equal(0, sim.Checkers.Sum(c => c.Violations));
        IReadOnlyList<ContractJournalRecord> receivers = [.. run.JournalOf(1).ReadAll(), .. run.JournalOf(3).ReadAll()];
        Assert.Contains(receivers, r => r.Kind == ContractJournalKind.Aborted
            && receivers.Any(p => p.Transfer == r.Transfer && p.Kind == ContractJournalKind.Prepared));
    }

    [Fact]
    public void A_receiver_at_capacity_refuses_and_the_owners_run_their_units_themselves()
    {
        Scenario scenario = ScenarioLoader.Load(RepoPaths.Scenario("contracts-loss-20.json"), 7);
        scenario.Source.Contracts!.ReceiverCapacity = 4; // one offer at a time, held for 10 s until reported done
        scenario.Source.Contracts.RunSeconds = 10;
        Simulation sim = ShippedScenarioTests.RunScenario(scenario);
        ContractRun run = Assert.IsType<ContractRun>(sim.Checkers.Single(c => c is ContractRun));
        Assert.Equal(0, sim.Checkers.Sum(c => c.Violations));
        ContractOutcomeCheck outcome = run.Outcome!;
        Assert.True(outcome.Committed is > 4 and < 40, $"{outcome.Committed} committed");
        Assert.True(outcome.Aborted > 100, $"{outcome.Aborted} aborted");
        Assert.Equal(outcome.Transfers, outcome.Committed + outcome.Aborted);
    }

    [Fact]
    public void Outcome_check_fails_on_doctored_journals_and_ledgers()
    {
        (_, ContractRun run) = RunContracts(1);
        List<ContractJournalRecord>[] journals = [.. Enumerable.Range(0, 6).Select(i => run.JournalOf(i).ReadAll().ToList())];
        var clean = new ContractOutcomeCheck();
        clean.Run(journals, []);
        Assert.Empty(clean.Violations);
        Assert.True(clean.UnitsMoved > 0);

        // Two transfers node 0 committed to node 1: drop the receiver's commit of the first (run by neither), turn the
        // owner's commit of the second into an abort (run by both).
        TransferId[] committed = [.. journals[0]
            .Where(r => r.Role == ContractRole.Owner && r.Kind == ContractJournalKind.Committed)
            .Select(r => r.Transfer).Take(2)];
        Assert.Equal(2, committed.Length);
        journals[1].RemoveAll(r => r.Transfer == committed[0] && r.Kind != ContractJournalKind.Prepared);
        int at = journals[0].FindIndex(r => r.Transfer == committed[1] && r.Kind == ContractJournalKind.Committed);
        journals[0][at] = journals[0][at] with { Kind = ContractJournalKind.Aborted };
        // And a transfer the owner never decided.
        ContractJournalRecord offered = journals[2].First(r => r.Kind == ContractJournalKind.Offered);
        journals[2].RemoveAll(r => r.Transfer == offered.Transfer && r.Kind != ContractJournalKind.Offered);
        journals[3].RemoveAll(r => r.Transfer == offered.Transfer);

        var ledgerA = new ContractLedgerEntry(new NodeId(2), 8, 800_000, 8, 0, 0, 0);
        var ledgerB = new ContractLedgerEntry(new NodeId(1), 0, 0, 0, 8, 800_000, 4);
        var doctored = new ContractOutcomeCheck();
        doctored.Run(journals, [(0, 1, ledgerA, ledgerB), (0, 1, ledgerA, ledgerA with { UnitsOut = 0, PaidMicros = 0, UnitsRunByPartner = 0, UnitsIn = 8, ReceivedMicros = 800_000, UnitsRunForPartner = 8 })]);

        Assert.Equal(4, doctored.Violations.Count);
        Assert.Contains(doctored.Violations, v => v.Contains("run by neither side: the owner committed it", StringComparison.Ordinal));
        Assert.Contains(doctored.Violations, v => v.Contains("run by both sides", StringComparison.Ordinal));
        Assert.Contains(doctored.Violations, v => v.Contains("the owner never decided it", StringComparison.Ordinal));
        Assert.Contains(doctored.Violations, v => v.Contains("ledgers of nodes 0 and 1 disagree", StringComparison.Ordinal));
    }

    [Fact]
    public void A_receiver_commit_without_an_offer_is_a_violation()
    {
        (_, ContractRun run) = RunContracts(2);
        List<ContractJournalRecord>[] journals = [.. Enumerable.Range(0, 6).Select(i => run.JournalOf(i).ReadAll().ToList())];
        TransferId id = journals[4].First(r => r.Kind == ContractJournalKind.Committed).Transfer;
        journals[4].RemoveAll(r => r.Transfer == id);
        var check = new ContractOutcomeCheck();
        check.Run(journals, []);
        Assert.Equal(["transfer 5:" + id.Sequence + " committed by its receiver but never offered by its owner"], check.Violations);
    }

    [Theory]
    [InlineData("""{ "pairs": [] }""", "contracts.pairs")]
    [InlineData("""{ "pairs": [ { "owner": 0, "receiver": 0 } ] }""", "contracts.pairs[0].receiver")]
    [InlineData("""{ "pairs": [ { "owner": 0, "receiver": 9 } ] }""", "contracts.pairs[0].receiver")]
    [InlineData("""{ "pairs": [ { "owner": 0, "receiver": 1, "price_min_micros": 5, "price_max_micros": 4 } ] }""", "contracts.pairs[0].price_max_micros")]
    [InlineData("""{ "pairs": [ { "owner": 0, "receiver": 1, "max_units_per_hour": 2 } ], "units_per_offer": 3 }""", "contracts.units_per_offer")]
    [InlineData("""{ "pairs": [ { "owner": 0, "receiver": 1, "classes": 0 } ] }""", "contracts.pairs[0].classes")]
    [InlineData("""{ "pairs": [ { "owner": 0, "receiver": 1 } ], "start_seconds": 5, "stop_seconds": 4 }""", "contracts.stop_seconds")]
    [InlineData("""{ "pairs": [ { "owner": 0, "receiver": 1 } ], "offer_every_seconds": 0 }""", "contracts.offer_every_seconds")]
    [InlineData("""{ "pairs": [ { "owner": 0, "receiver": 1 } ], "retry_ms": 0 }""", "contracts.retry_ms")]
    public void Invalid_contracts_sections_name_the_field(string section, string field)
    {
        Scenario s = ScenarioLoader.Parse($$"""{ "nodes": 4, "duration_seconds": 30, "contracts": {{section}} }""", "c.json");
        ScenarioException ex = Assert.Throws<ScenarioException>(() => ScenarioRuntime.CreateFactory(s));
        Assert.Equal(field, ex.Field);
        Assert.Contains("c.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_without_contracts_gets_no_contract_checker()
    {
        Scenario s = ScenarioLoader.Parse("""{ "nodes": 4, "duration_seconds": 5 }""", "plain.json");
        _ = ScenarioRuntime.CreateFactory(s);
        Assert.Null(ScenarioRuntime.ContractRunOf(s));
        Assert.DoesNotContain(ScenarioRuntime.CreateCheckers(s), c => c is ContractRun);
    }
}
