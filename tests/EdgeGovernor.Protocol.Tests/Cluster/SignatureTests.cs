using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Cluster;

/// <summary>
/// Each board speaks only for itself: board 3 holds the group key (its datagrams authenticate) but not board 2's signing
/// key. Every forgery below would be acted on without signatures (each test's control shows the same message signed by
/// board 2 taking effect); with them it is refused, counted, and changes nothing.
/// </summary>
public sealed class SignatureTests
{
    private static readonly NodeId N1 = new(1), N2 = new(2), N3 = new(3);
    private const uint Forger = 3;
    private const long T0 = TestTimes.T0;

    [Fact]
    public void A_forged_coordinator_heartbeat_is_refused_and_a_replayed_one_too()
    {
        using var rig = new Rig();
        var section = new ClusterHeartbeatSectionFrame(true, 1000, 100, 0, 100, N2, 0, 0, 0, Beat: 1);
        rig.From(2, MessageType.Heartbeat, Frames.SignedHeartbeat(section, Forger, sender: 2, term: 1), term: 1);
        Assert.False(rig.Cluster.Election.Leader.IsValid);
        Assert.Equal(0ul, rig.Cluster.Election.CurrentTerm);
        rig.AssertRefused(1);
        rig.From(2, MessageType.Heartbeat, Frames.Heartbeat(section), term: 1); // no signature at all
        rig.AssertRefused(2);

        byte[] genuine = Frames.SignedHeartbeat(section, 2, sender: 2, term: 1);
        rig.From(2, MessageType.Heartbeat, genuine, term: 1);
        Assert.Equal(N2, rig.Cluster.Election.Leader); // the control: board 2's own signature is followed
        Assert.Equal(1ul, rig.Cluster.Election.CurrentTerm);

        rig.From(2, MessageType.Heartbeat, genuine, term: 1); // the same beat in a new datagram: a replay
        rig.AssertRefused(3);
        rig.From(2, MessageType.Heartbeat, Frames.SignedHeartbeat(section with { Beat = 2 }, 2, sender: 2, term: 1), term: 1);
        rig.AssertRefused(3);
    }

    [Fact]
    public void A_forged_vote_request_gets_no_vote()
    {
        using var rig = new Rig();
        var request = new VoteRequestFrame(1, 0, 0, PreVote: false);
        rig.From(2, MessageType.VoteRequest, Frames.SignedVoteRequest(request, Forger, sender: 2, headerTerm: 0), term: 0);
        Assert.Empty(rig.SentOf(MessageType.VoteResponse));
        Assert.Equal(NodeId.None, rig.Cluster.Election.VotedFor);
        Assert.Equal(0ul, rig.Cluster.Election.CurrentTerm);
        rig.AssertRefused(1);

        rig.From(2, MessageType.VoteRequest, Frames.SignedVoteRequest(request, 2, sender: 2, headerTerm: 0), term: 0);
        Assert.Equal(N2, rig.Cluster.Election.VotedFor); // the control
        (Destination to, byte[] payload) = Assert.Single(rig.SentOf(MessageType.VoteResponse));
        Assert.Equal(Destination.To(N2), to);
        Assert.True(VoteResponseFrame.TryRead(payload, out VoteResponseFrame response));
        Assert.True(response.Granted);
        Assert.Equal(N2, response.Candidate);
    }

    [Fact]
    public void A_forged_or_misdirected_vote_grant_elects_no_one()
    {
        using var rig = new Rig();
        rig.Cluster.Tick(rig.Cluster.Election.NextDeadlineUs);
        Assert.Equal(ElectionRole.Candidate, rig.Cluster.Election.Role);
        ulong term = rig.Cluster.Election.CurrentTerm;
        var grant = new VoteResponseFrame(term, Granted: true, PreVote: false, N1);

        rig.From(2, MessageType.VoteResponse, Frames.SignedVoteResponse(grant, Forger, sender: 2, headerTerm: term), term);
        Assert.Equal(ElectionRole.Candidate, rig.Cluster.Election.Role);
        rig.AssertRefused(1);
        rig.From(2, MessageType.VoteResponse, Frames.SignedVoteResponse(grant with { Candidate = N3 }, 2, sender: 2, headerTerm: term), term);
        Assert.Equal(ElectionRole.Candidate, rig.Cluster.Election.Role); // board 2's real grant, but for another candidate
        rig.AssertRefused(2);

        rig.From(2, MessageType.VoteResponse, Frames.SignedVoteResponse(grant, 2, sender: 2, headerTerm: term), term);
        Assert.Equal(ElectionRole.Leader, rig.Cluster.Election.Role); // the control
    }

    [Fact]
    public void A_forged_price_record_is_never_stored_and_a_relayed_record_verifies_against_its_maker()
    {
        using var rig = new Rig();
        rig.From(2, MessageType.Heartbeat, Frames.SignedHeartbeat(new ClusterHeartbeatSectionFrame(true, 1000, 100, 0, 100, N2, 0, 0, 0, Beat: 1), 2, 2, term: 2), term: 2);
        Assert.Equal(N2, rig.Cluster.Election.Leader);

        var first = new PriceRecordFrame(new PriceRecord(T0, T0 + 3_600_000, 1234, 1, 1, 1), 0, N3); // made by board 3 in term 1
        var second = new PriceRecordFrame(new PriceRecord(T0 + 3_600_000, T0 + 7_200_000, 999, 1, 2, 2), 1, N2);
        rig.From(2, MessageType.PriceRecord, Rig.Reply(Frames.SignedRecord(second with { Record = second.Record with { Index = 1 }, PreviousTerm = 0 }, Forger)), term: 2);
        Assert.Equal(0ul, rig.Cluster.Log.LastIndex); // board 3 signed a record naming board 2 as its maker
        rig.AssertRefused(1);

        byte[] tampered = Frames.SignedRecord(first, 3);
        tampered[19] ^= 1; // the price, after signing
        rig.From(2, MessageType.PriceRecord, Rig.Reply(tampered), term: 2);
        Assert.Equal(0ul, rig.Cluster.Log.LastIndex);
        rig.AssertRefused(2);

        // The control: board 2 relays board 3's record of term 1 and its own, each with its maker's signature.
        rig.From(2, MessageType.PriceRecord, Rig.Reply(Frames.SignedRecord(first, 3), Frames.SignedRecord(second, 2)), term: 2);
        Assert.Equal(2ul, rig.Cluster.Log.LastIndex);
        Assert.True(rig.Cluster.Log.TryGet(1, out PriceRecord held));
        Assert.Equal(1234, held.PriceE4);
        rig.AssertRefused(2);
    }

    [Fact]
    public void A_removed_board_is_refused_and_a_rotating_board_is_accepted_with_either_key()
    {
        var roster = new SigningRoster();
        roster.Set(N1, TestKeys.Signer(1).PublicKey);
        roster.Set(N2, TestKeys.Signer(9).PublicKey, TestKeys.Signer(2).PublicKey); // rotating from key 9 to key 2
        using var rig = new Rig(roster);
        var section = new ClusterHeartbeatSectionFrame(true, 1000, 100, 0, 100, N2, 0, 0, 0, Beat: 1);
        rig.From(2, MessageType.Heartbeat, Frames.SignedHeartbeat(section, 9, 2, term: 1), term: 1); // the current key
        Assert.Equal(N2, rig.Cluster.Election.Leader);
        rig.From(2, MessageType.Heartbeat, Frames.SignedHeartbeat(section with { Beat = 2 }, 2, 2, term: 1), term: 1); // the next key
        rig.AssertRefused(0);

        roster.Set(N2, TestKeys.Signer(2).PublicKey); // rotation done: the old key is gone
        rig.From(2, MessageType.Heartbeat, Frames.SignedHeartbeat(section with { Beat = 3 }, 9, 2, term: 1), term: 1);
        rig.AssertRefused(1);
        rig.From(2, MessageType.Heartbeat, Frames.SignedHeartbeat(section with { Beat = 4 }, 2, 2, term: 1), term: 1);
        rig.AssertRefused(1);

        Assert.True(roster.Remove(N2)); // removed: nothing it signs is taken
        rig.From(2, MessageType.Heartbeat, Frames.SignedHeartbeat(section with { Beat = 5 }, 2, 2, term: 1), term: 1);
        rig.AssertRefused(2);
        rig.From(3, MessageType.VoteRequest, Frames.SignedVoteRequest(new VoteRequestFrame(2, 0, 0, false), 3, 3, 1), term: 1); // never listed
        rig.AssertRefused(3);
    }

    [Fact]
    public void Signing_and_verifying_allocate_nothing()
    {
        using var node = new ProtocolNode(TestKeys.Options(1), Datagrams.NullPeer.Instance, Datagrams.NullPeer.Instance, new SplitMix64Random(1), 0);
        var signatures = new BoardSignatures(node, TestKeys.Signer(1), TestKeys.Roster);
        byte[] vote = new byte[VoteRequestFrame.Size];
        new VoteRequestFrame(4, 3, 2, false).TryWrite(vote);
        byte[] record = new byte[PriceRecordFrame.Size];
        new PriceRecordFrame(new PriceRecord(T0, T0 + 1000, 1, 1, 1, 1), 0, N1).TryWrite(record);
        var header = new MessageHeader(MessageType.VoteRequest, TestKeys.Cluster, N1, 1, 0, 1, 0, 1);
        void Round()
        {
            signatures.SignDatagram(MessageType.VoteRequest, vote, VoteRequestFrame.SignedSize, VoteRequestFrame.SignatureArea(vote));
            Assert.True(signatures.VerifyDatagram(header, vote.AsSpan(0, VoteRequestFrame.SignedSize), VoteRequestFrame.Signature(vote)));
            signatures.SignRecord(record);
            Assert.True(signatures.VerifyRecord(record, N1));
        }

        Round();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Round();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Node 1 of the roster 1, 2, 3 (no PreVote), fed crafted datagrams; records what it sends.</summary>
    private sealed class Rig : IDatagramSink, IDeliveryHandler, IDisposable
    {
        private readonly List<(Destination To, byte[] Datagram)> _sent = [];
        private ulong _sequence;

        public Rig(SigningRoster? roster = null)
        {
            ClusterOptions options = TestKeys.ClusterOptions(1, [N1, N2, N3]) with
            {
                Verifier = roster ?? TestKeys.Roster,
                Election = new ElectionOptions { UsePreVote = false },
            };
            Cluster = new ClusterNode(options, TestKeys.Options(1), this, this, new SplitMix64Random(7), new InMemoryVoteStore(), 0)
            {
                UnixEpochOffsetUs = TestTimes.T0Us,
            };
        }

        public ClusterNode Cluster { get; }

        public static byte[] Reply(params byte[][] records)
        {
            byte[] p = new byte[CatchUpReplyFrame.SizeOf(records.Length)];
            p[0] = (byte)records.Length;
            for (int i = 0; i < records.Length; i++)
            {
                records[i].CopyTo(p, CatchUpReplyFrame.SizeOf(i));
            }

            return p;
        }

        public void From(uint sender, MessageType type, byte[] payload, ulong term) =>
            Assert.Equal(DropReason.None, Cluster.Receive(Datagrams.Craft(TestKeys.Key(1), sender, sequence: ++_sequence, type: type, payload: payload, term: term), 1_000).Drop);

        public void AssertRefused(long count)
        {
            Assert.Equal(count, Cluster.SignaturesRefused);
            Assert.Equal(count, Cluster.Node.Counters.Dropped(DropReason.BadSignature));
        }

        public IEnumerable<(Destination To, byte[] Payload)> SentOf(MessageType type)
        {
            foreach ((Destination to, byte[] d) in _sent)
            {
                if (WireCodec.TryDecode(d, TestKeys.Cluster, out MessageHeader h, out ReadOnlySpan<byte> p) == DropReason.None && h.Type == type)
                {
                    yield return (to, p.ToArray());
                }
            }
        }

        public void Send(Destination destination, ReadOnlySpan<byte> datagram) => _sent.Add((destination, datagram.ToArray()));

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }

        public void Dispose() => Cluster.Dispose();
    }
}
