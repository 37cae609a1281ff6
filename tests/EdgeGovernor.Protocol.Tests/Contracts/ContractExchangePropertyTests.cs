using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Protocol.Tests.Contracts;

/// <summary>
/// Seeded random runs of three boards trading under pairwise contracts over a network that loses, duplicates, delays
/// and reorders messages, with crashes of any board after any prefix of any call's effects (between a journal append
/// and the send that follows it included) and restarts from the journal. Then a quiet phase (no loss, no crash) until
/// every transfer is resolved, and the checks: every offered transfer ran on exactly one side, the receiver ran only
/// transfers its owner journalled as committed and only before their run-by deadline, and both ledgers of every pair
/// agree.
/// </summary>
public sealed class ContractExchangePropertyTests
{
    private const long T0 = 1_717_200_000_000;
    private const long StepMs = 100;

    public static TheoryData<int, double, double> Runs()
    {
        var data = new TheoryData<int, double, double>();
        for (int seed = 1; seed <= 24; seed++)
        {
            data.Add(seed, 0.0, 0.0);
            data.Add(seed, 0.2, 0.01);
            data.Add(seed, 0.4, 0.03);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Every_unit_runs_exactly_once_and_the_ledgers_agree(int seed, double loss, double crashPerStep) =>
        Run(seed, loss, crashPerStep, compactPerStep: 0, retainFinishedMs: 86_400_000);

    /// <summary>The same, with every board compacting its journal (forgetting finished transfers right after their
    /// run-by deadline, or 3 s later) at random points, crashes and restarts from the compacted journal included.</summary>
    [Theory]
    [MemberData(nameof(Runs))]
    public void Compaction_at_random_points_keeps_every_unit_once_and_the_ledgers_agreeing(int seed, double loss, double crashPerStep) =>
        Run(seed, loss, crashPerStep, compactPerStep: 0.02, retainFinishedMs: seed % 2 == 0 ? 0 : 3_000);

    private static void Run(int seed, double loss, double crashPerStep, double compactPerStep, long retainFinishedMs)
    {
        var random = new Random(seed);
        ContractBoard[] boards = Boards(retainFinishedMs);
        foreach (ContractBoard board in boards)
        {
            board.Policy = _ => random.NextDouble() < 0.8 ? RefuseReason.None : RefuseReason.Declined;
        }

        var network = new List<(long At, NodeId From, NodeId To, byte[] Payload)>();
        var downUntil = new long[boards.Length];
        long now = T0;
        long offersEnd = T0 + 60_000;
        long quietFrom = T0 + 90_000;
        long end = T0 + 600_000;
        bool chaos = true;

        while (now < end)
        {
            chaos = now < quietFrom;
            for (int i = 0; i < boards.Length; i++)
            {
                ContractBoard board = boards[i];
                board.Now = now;
                if (!board.Up)
                {
                    if (now >= downUntil[i])
                    {
                        board.Restart(now);
                        Ship(board, network, random, now, chaos ? loss : 0);
                    }
                    continue;
                }

                // Deliver what is due to this board.
                for (int m = network.Count - 1; m >= 0 && board.Up; m--)
                {
                    if (network[m].To == board.Id && network[m].At <= now)
                    {
                        board.Receive(network[m].From, network[m].Payload);
                        network.RemoveAt(m);
                        Step(board, i);
                    }
                }

                if (board.Up && now < offersEnd && random.NextDouble() < 0.03)
                {
                    uint contract = (uint)(random.Next(2) == 0 ? 1 + i : 1 + ((i + 2) % 3));
                    long decideBy = now + random.Next(1_000, 8_000);
                    long runBy = decideBy + random.Next(1, 30_000);
                    if (board.Offer(contract, (uint)random.Next(1, 41), (uint)random.Next(5_000, 25_001), decideBy, runBy, out _))
                    {
                        Step(board, i);
                    }
                }

                if (board.Up)
                {
                    board.Tick();
                    Step(board, i);
                }

                if (board.Up && random.NextDouble() < compactPerStep)
                {
                    board.Compact();
                }

                Ship(board, network, random, now, chaos ? loss : 0);
                if (!board.Up)
                {
                    network.RemoveAll(m => m.To == board.Id);
                }
            }

            if (!chaos && network.Count == 0 && boards.All(b => b.Up && b.Exchange.OpenTransfers == 0))
            {
                break;
            }
            now += StepMs;
        }

        Assert.True(now < end, $"seed {seed}: not quiescent by the end: {string.Join("; ", boards.SelectMany(b => b.Exchange.Transfers.Where(t => !t.IsFinished).Select(t => Describe(boards, b, t))))}");

        // The transfers that exist: those whose offer its owner journalled (an offer lost in a crash before its journal
        // record was never sent, and its units never left the owner's queue).
        var offered = boards.SelectMany(b => b.History)
            .Where(r => r.Kind == ContractJournalKind.Offered)
            .DistinctBy(r => r.Transfer)
            .Select(r => (Id: r.Transfer, Receiver: r.Partner, r.Offer))
            .ToList();
        Assert.NotEmpty(offered);

        ContractBoard ById(NodeId id) => boards[id.Value - 1];
        int committed = 0;
        foreach ((TransferId id, NodeId receiver, ContractOffer offer) in offered)
        {
            ContractBoard owner = ById(id.Owner);
            ContractBoard taker = ById(receiver);
            bool ranOwner = owner.RanAsOwner.ContainsKey(id);
            bool ranReceiver = taker.RanAsReceiver.TryGetValue(id, out long ranAt);
            Assert.False(ranOwner && ranReceiver, $"seed {seed}: transfer {id} ran on both sides");
            Assert.True(ranOwner || ranReceiver, $"seed {seed}: transfer {id} ran nowhere");

            bool ownerCommitted = owner.History.Any(r => r.Transfer == id && r.Kind == ContractJournalKind.Committed);
            Assert.Equal(ownerCommitted, ranReceiver);
            if (ranReceiver && ranAt != long.MinValue)
            {
                Assert.True(ranAt < offer.RunByMs, $"seed {seed}: {id} run after its run-by deadline");
                committed++;
            }
        }

        foreach (ContractBoard a in boards)
        {
            foreach (ContractBoard b in boards)
            {
                if (a != b)
                {
                    Assert.True(a.Exchange.Ledger(b.Id).AgreesWith(b.Exchange.Ledger(a.Id)),
                        $"seed {seed}: ledgers of {a.Id} and {b.Id} disagree: {a.Exchange.Ledger(b.Id)} / {b.Exchange.Ledger(a.Id)}");
                }
            }
        }

        if (compactPerStep > 0)
        {
            // Compacted once more after quiescence: every finished transfer past retention goes, the ledgers and the
            // next sequence survive a restart from the compacted journal.
            long late = now + retainFinishedMs + 60_000;
            foreach (ContractBoard board in boards)
            {
                var before = boards.Where(b => b != board).Select(b => board.Exchange.Ledger(b.Id)).ToArray();
                ulong sequence = board.Exchange.LastSequence;
                board.Now = late;
                board.Compact();
                Assert.Equal(0, board.Exchange.HeldTransfers);
                board.Restart(late);
                Assert.Equal(before, boards.Where(b => b != board).Select(b => board.Exchange.Ledger(b.Id)).ToArray());
                Assert.Equal(sequence, board.Exchange.LastSequence);
                Assert.True(board.Journal.Count <= 2 * (boards.Length - 1), $"seed {seed}: {board.Journal.Count} records after a full compaction");
            }
            Assert.True(boards.Sum(b => b.Forgotten) > 0, $"seed {seed}: nothing forgotten");
        }

        if (loss == 0)
        {
            Assert.True(committed > 0, $"seed {seed}: nothing committed in a loss-free run");
        }

        void Step(ContractBoard board, int index)
        {
            int crashAfter = chaos && random.NextDouble() < crashPerStep * 10 ? random.Next(board.Effects.Count + 1) : int.MaxValue;
            if (!board.Apply(crashAfter))
            {
                downUntil[index] = now + random.Next(500, 10_000);
            }
        }
    }

    private static string Describe(ContractBoard[] boards, ContractBoard board, ContractTransfer open)
    {
        ContractBoard partner = boards[open.Partner.Value - 1];
        string there = partner.Exchange.TryGetTransfer(open.Id, out ContractTransfer t) ? t.State.ToString() : "unknown";
        string journal = string.Join(",", partner.Journal.ReadAll().Where(r => r.Transfer == open.Id).Select(r => r.Kind));
        string mine = string.Join(",", board.Journal.ReadAll().Where(r => r.Transfer == open.Id).Select(r => r.Kind));
        return $"{open.Id} {open.Role} {open.State} at {board.Id} [{mine}] (timer {board.Exchange.NextDeadlineMs}), {there} at {partner.Id} [{journal}]";
    }

    private static void Ship(ContractBoard board, List<(long, NodeId, NodeId, byte[])> network, Random random, long now, double loss)
    {
        foreach ((NodeId to, byte[] payload, _) in board.Outbox)
        {
            if (random.NextDouble() < loss)
            {
                continue;
            }

            network.Add((now + random.Next(0, 3_000), board.Id, to, payload));
            if (loss > 0 && random.NextDouble() < 0.1)
            {
                network.Add((now + random.Next(0, 6_000), board.Id, to, payload)); // a duplicate, later
            }
        }
        board.Outbox.Clear();
    }

    private static ContractBoard[] Boards(long retainFinishedMs)
    {
        // Contract 1: boards 1-2, contract 2: boards 2-3, contract 3: boards 3-1 (board i offers under i and i-1).
        ContractTerms Terms(uint id, uint partner) => new(id, new NodeId(partner), 5_000, 25_000, 40, 1, 1, T0 - 1, T0 + 86_400_000);
        return
        [
            new ContractBoard(1, T0, retainFinishedMs, Terms(1, 2), Terms(3, 3)),
            new ContractBoard(2, T0, retainFinishedMs, Terms(1, 1), Terms(2, 3)),
            new ContractBoard(3, T0, retainFinishedMs, Terms(2, 2), Terms(3, 1)),
        ];
    }
}
