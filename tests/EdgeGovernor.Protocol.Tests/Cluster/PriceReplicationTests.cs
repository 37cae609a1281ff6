using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class PriceReplicationTests
{
    private const long Hour = TestTimes.Hour;
    private const long T0 = TestTimes.T0;
    private static readonly NodeId N1 = new(1), N2 = new(2), N3 = new(3);

    /// <summary>Sink, handler and listener of the node under test: keeps every datagram and every price event.</summary>
    private sealed class Capture : IDatagramSink, IDeliveryHandler, IPriceLogListener
    {
        public List<(Destination To, byte[] Datagram)> Sent { get; } = [];

        public List<string> Events { get; } = [];

        public void Send(Destination destination, ReadOnlySpan<byte> datagram) => Sent.Add((destination, datagram.ToArray()));

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }

        public void OnRecordHeld(in PriceRecord record, long nowUs) => Events.Add($"held {record.Index}");

        public void OnCommitted(ulong commitIndex, long nowUs) => Events.Add($"commit {commitIndex}");

        public IEnumerable<(Destination To, MessageHeader Header, byte[] Payload)> Of(MessageType type)
        {
            foreach ((Destination to, byte[] d) in Sent)
            {
                if (WireCodec.TryDecode(d, TestKeys.Cluster, out MessageHeader h, out ReadOnlySpan<byte> p) == DropReason.None && h.Type == type)
                {
                    yield return (to, h, p.ToArray());
                }
            }
        }
    }

    private static readonly byte[] NoSignature = new byte[SignatureFormat.SignatureSize];

    private static (PriceReplication Prices, ElectionState Election, Capture Capture) Make(bool leader)
    {
        var capture = new Capture();
        var node = new ProtocolNode(TestKeys.Options(1), capture, capture, new SplitMix64Random(1), 0);
        var log = new PriceLog();
        var election = new ElectionState(N1, [N1, N2, N3], new ElectionOptions { UsePreVote = false }, new InMemoryVoteStore(), new SplitMix64Random(2), log);
        election.Start(0);
        if (leader)
        {
            long at = election.NextDeadlineUs;
            election.Tick(at);
            election.OnVoteResponse(N2, new VoteResponseFrame(1, true, false), at);
            Assert.Equal(ElectionRole.Leader, election.Role);
        }

        var prices = new PriceReplication(node, election, log, TestKeys.ClusterOptions(1, [N1, N2, N3]), new BoardSignatures(node, TestKeys.Signer(1), TestKeys.Roster)) { Listener = capture };
        return (prices, election, capture);
    }

    [Fact]
    public void The_coordinator_commits_once_a_quorum_reports_holding_its_record()
    {
        (PriceReplication prices, ElectionState election, Capture capture) = Make(leader: true);
        prices.Log.AppendAsLeader(election.CurrentTerm, T0, T0 + Hour, 100, 1, out PriceRecord record);
        prices.Announce(record, 10);
        Assert.Equal(["held 1"], capture.Events); // only the coordinator holds it: 1 of 3
        prices.NoteMatch(new NodeId(99), 1, 1, 20); // not a voter: ignored
        prices.NoteMatch(N3, 0, 0, 20);
        Assert.Equal(["held 1"], capture.Events);
        prices.NoteMatch(N2, 1, election.CurrentTerm, 30);
        Assert.Equal(["held 1", "commit 1"], capture.Events);
    }

    [Fact]
    public void A_gap_asks_the_coordinator_for_the_missing_records_at_most_once_per_interval()
    {
        (PriceReplication prices, _, Capture capture) = Make(leader: false);
        var far = new PriceRecordFrame(new PriceRecord(T0, T0 + Hour, 100, 1, 1, 5), 1);
        prices.Accept(N2, far, NoSignature, 1, 1_000);
        prices.Accept(N2, far, NoSignature, 1, 1_000 + 100_000); // within CatchUpIntervalUs (200 ms): not again
        (Destination to, _, byte[] payload) = Assert.Single(capture.Of(MessageType.PriceAck));
        Assert.Equal(Destination.To(N2), to);
        Assert.True(CatchUpRequestFrame.TryRead(payload, out CatchUpRequestFrame request));
        Assert.Equal(1ul, request.FromIndex);
        Assert.Equal(1, prices.CatchUpRequests);

        prices.Accept(N2, far, NoSignature, 1, 1_000 + 200_000);
        Assert.Equal(2, capture.Of(MessageType.PriceAck).Count());
        prices.Accept(N2, new PriceRecordFrame(new PriceRecord(T0, T0 + Hour, 100, 1, 1, 1), 0, N2), NoSignature, 1, 1_000 + 200_001);
        Assert.Equal(["held 1"], capture.Events);
    }

    [Fact]
    public void Catch_up_answers_from_half_a_reply_before_the_asked_index_in_replies_of_10_with_the_records_signatures()
    {
        (PriceReplication prices, ElectionState election, Capture capture) = Make(leader: true);
        for (int i = 0; i < 40; i++)
        {
            prices.Log.AppendAsLeader(election.CurrentTerm, T0 + (i * Hour), T0 + ((i + 1) * Hour), 100 + i, 1, out PriceRecord record);
            prices.Announce(record, 10);
        }

        prices.SendCatchUp(N2, 20);
        var replies = capture.Of(MessageType.PriceRecord).ToList();
        Assert.Equal(3, replies.Count); // 15..24, 25..34, 35..40
        Assert.All(replies, r => Assert.Equal(Destination.To(N2), r.To));
        Assert.True(CatchUpReplyFrame.TryRead(replies[0].Payload, out CatchUpReplyFrame first));
        Assert.Equal(10, first.Count);
        Assert.True(first.TryGetRecord(0, out PriceRecordFrame r0));
        Assert.Equal(15ul, r0.Record.Index); // 20 - 5
        Assert.Equal(election.CurrentTerm, r0.PreviousTerm);
        Assert.Equal(N1, r0.Signer);
        var verifier = new BoardSignatures(new ProtocolNode(TestKeys.Options(2), Datagrams.NullPeer.Instance, Datagrams.NullPeer.Instance, new SplitMix64Random(1), 0), TestKeys.Signer(2), TestKeys.Roster);
        for (int i = 0; i < first.Count; i++)
        {
            Assert.True(verifier.VerifyRecord(first.RecordBytes(i), N1)); // the coordinator's own signature travels with each
        }

        Assert.True(CatchUpReplyFrame.TryRead(replies[2].Payload, out CatchUpReplyFrame last));
        Assert.Equal(6, last.Count); // 35..40
    }

    [Fact]
    public void Catch_up_stops_before_a_record_whose_signature_is_not_held()
    {
        (PriceReplication prices, ElectionState election, Capture capture) = Make(leader: true);
        for (int i = 0; i < 5; i++)
        {
            prices.Log.AppendAsLeader(election.CurrentTerm, T0 + (i * Hour), T0 + ((i + 1) * Hour), 100 + i, 1, out PriceRecord record);
            if (i != 3)
            {
                prices.Announce(record, 10); // record 4 was never signed
            }
        }

        prices.SendCatchUp(N2, 1);
        (_, _, byte[] payload) = Assert.Single(capture.Of(MessageType.PriceRecord));
        Assert.True(CatchUpReplyFrame.TryRead(payload, out CatchUpReplyFrame reply));
        Assert.Equal(3, reply.Count);
    }
}
