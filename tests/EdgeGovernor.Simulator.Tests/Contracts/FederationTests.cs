using EdgeGovernor.Policy.Contracts;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Wire;
using EdgeGovernor.Simulator.Contracts;

namespace EdgeGovernor.Simulator.Tests.Contracts;

public class FederationTests
{
    private static FederationOptions Options(int racks, int days) => new()
    {
        Racks = racks,
        Hours = 24 * days,
        Prices = RepoPaths.SharedDataFile("prices", "DE-LU_2024.csv"),
        Demand = RepoPaths.SharedDataFile("power", "google2019_cella_pdu6.csv"),
        Servers = RepoPaths.SharedDataFile("power", "specpower_curves.csv"),
    };

    [Fact]
    public void Contracts_gain_without_making_any_rack_worse_off_and_the_checkers_hold()
    {
        FederationReport r = Federation.Evaluate(Options(8, 12)); // the spike is on day 11
        Assert.Equal(12, r.Contracts);
        Assert.Equal((0, 0, 0, 0), (r.UnitsLost, r.UnitsDuplicated, r.LedgerMismatches, r.EnvelopeViolations));
        Assert.Equal(0, r.RacksWorseOff);
        Assert.True(r.NetValueContractsRange > r.NetValueNoContracts, $"range {r.NetValueContractsRange} vs none {r.NetValueNoContracts}");
        // The central planner is a greedy reference, not a proven optimum: on a short run it may end a little below
        // the contracts, but never below doing nothing.
        Assert.True(r.NetValueCentral > r.NetValueNoContracts, $"central {r.NetValueCentral} vs none {r.NetValueNoContracts}");
        Assert.True(r.OverloadedRackHoursContractsRange < r.OverloadedRackHoursNoContracts, $"{r.OverloadedRackHoursContractsRange} vs {r.OverloadedRackHoursNoContracts}");
        Assert.True(r.UnitsMoved > 0);
    }

    [Fact]
    public void Without_a_spike_or_price_room_nothing_moves()
    {
        // A price range far above any rack's energy cost per unit: no sender would pay it.
        FederationReport r = Federation.Evaluate(Options(4, 2) with { SpikeFactor = 1, ContractPrice = 5, RangeHalfWidth = 0 });
        ModeResult fixedPrice = r.Modes.Single(m => m.Mode == "FixedPrice");
        Assert.Equal(0, fixedPrice.UnitsMoved);
        Assert.Equal(r.NetValueNoContracts, r.NetValueContracts, 9);
    }

    [Fact]
    public void With_message_loss_duplicates_and_controller_crashes_every_unit_still_runs_exactly_once()
    {
        FederationReport r = Federation.Evaluate(Options(8, 12) with { Loss = 0.2, Duplicate = 0.1, CrashRate = 0.05, RestartAfterMinutes = 20 });
        Assert.True(r.Crashes > 50, $"crashes {r.Crashes}");
        Assert.True(r.MessagesLost > 100, $"messages lost {r.MessagesLost}");
        Assert.True(r.TransfersAborted > 0, "no transfer ever aborted: the faults did not reach the exchange");
        Assert.Equal((0L, 0L, 0, 0, 0), (r.UnitsLost, r.UnitsDuplicated, r.LedgerMismatches, r.EnvelopeViolations, r.TransfersUnresolved));
        Assert.True(r.NetValueContractsRange > r.NetValueNoContracts, $"range {r.NetValueContractsRange} vs none {r.NetValueNoContracts}");
        Assert.True(r.UnitsMoved > 0);
    }

    [Fact]
    public void Loss_free_runs_resolve_every_transfer_with_five_messages_and_no_retransmission()
    {
        FederationReport r = Federation.Evaluate(Options(4, 12));
        foreach (ModeResult m in r.Modes.Where(m => m.Mode is "FixedPrice" or "PriceRange"))
        {
            Assert.True(m.Transfers > 0);
            Assert.Equal(0, m.Retransmissions);
            Assert.Equal(0, m.Crashes);
            Assert.Equal(m.Transfers, m.TransfersCommitted); // every receiver agreed in the trading pass and nothing is lost
            Assert.Equal(5L * m.Transfers, m.Messages);      // offer, accept, commit, done, ack
        }
    }

    [Fact]
    public void The_transfer_check_counts_a_transfer_run_on_both_sides_or_on_neither_and_a_ledger_that_disagrees()
    {
        (RackController owner, RackController receiver) = Pair();
        var effects = owner.Effects;
        long now = owner.HourStartMs(0);
        Assert.True(owner.Exchange.TryOffer(1, 0, 7, 15_000, now + 600_000, owner.HourStartMs(3), now, effects, out TransferId first));
        Assert.True(owner.Exchange.TryOffer(1, 0, 5, 15_000, now + 600_000, owner.HourStartMs(3), now, effects, out TransferId second));
        foreach (ContractJournalRecord record in Enumerable.Range(0, effects.Count).Select(i => effects[i]).Where(e => e.Kind == ContractEffectKind.Journal).Select(e => e.Record))
        {
            owner.Journal.Append(record);
        }
        effects.Clear();

        // Transfer 1 ran at the owner (returned) and at the receiver (queued); transfer 2 at neither.
        owner.Marks[first] = HostMark.Returned;
        receiver.Marks[first] = HostMark.Queued;
        owner.Marks[second] = HostMark.Gone;
        var check = new TransferCheck();
        check.Run([owner, receiver], [(0, 1)]);
        Assert.Equal(7, check.UnitsDuplicated);
        Assert.Equal(5, check.UnitsLost);
        Assert.Equal(0, check.LedgerMismatches); // nothing committed in either exchange

        // A commit only the owner's exchange knows: its ledger says 5 units out, the receiver's says none in.
        var accept = ContractMessage.ForAnswer(receiver.Id, second, RefuseReason.None);
        byte[] buffer = new byte[ContractMessage.MaxSize];
        int length = accept.TryWrite(buffer, 0x5EC0_0001, Signer(1));
        owner.Exchange.Receive(receiver.Id, buffer.AsSpan(0, length), now + 1, effects);
        Assert.Equal(TransferState.Committed, owner.Exchange.TryGetTransfer(second, out ContractTransfer t) ? t.State : default);
        check = new TransferCheck();
        check.Run([owner, receiver], [(0, 1)]);
        Assert.Equal(1, check.LedgerMismatches);
    }

    private static Ed25519Signer Signer(int rack)
    {
        byte[] seed = new byte[Ed25519Signer.SeedSize];
        BitConverter.TryWriteBytes(seed, rack + 1);
        seed[31] = 0xC7;
        return new Ed25519Signer(seed);
    }

    private static (RackController Owner, RackController Receiver) Pair()
    {
        var roster = new SigningRoster();
        roster.Set(RackController.NodeOf(0), Signer(0).PublicKey);
        roster.Set(RackController.NodeOf(1), Signer(1).PublicKey);
        long baseMs = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var terms = new ContractTerms(1, RackController.NodeOf(1), 5_000, 25_000, 40, 1, 1, baseMs, baseMs + (100 * 3_600_000L));
        FederationRack Rack(int id)
        {
            var rack = new FederationRack(id, "m", 0.3, 10, 10, new int[48], new int[48], 24);
            rack.OwnDue[2] = 20;
            return rack;
        }
        var owner = new RackController(Rack(0), Signer(0), roster, [terms], baseMs);
        var receiver = new RackController(Rack(1), Signer(1), roster, [terms with { Partner = RackController.NodeOf(0) }], baseMs);
        return (owner, receiver);
    }
}
