using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Wire;
using EdgeGovernor.TestSupport;

namespace EdgeGovernor.Firmware.Tests.Contracts;

/// <summary>A contract host starting on its journal file: records whose steps the exchange cannot take refuse the start
/// with an error naming the file (what the operator has to move aside), not only the record.</summary>
public sealed class ContractHostStartTests
{
    private const long T0 = 1_768_003_200_000;

    public enum Damage
    {
        /// <summary>A receiver's record of a transfer this board offered (board 2's journal given to board 1).</summary>
        NotThisBoards,

        /// <summary>A commit of a transfer whose offer is not in the journal.</summary>
        CommitBeforeOffer,
    }

    [Theory]
    [InlineData(Damage.NotThisBoards)]
    [InlineData(Damage.CommitBeforeOffer)]
    public void A_journal_whose_records_the_exchange_cannot_restore_is_refused_naming_the_file(Damage damage)
    {
        using var dir = new TempDir();
        var offer = new ContractOffer(new TransferId(new NodeId(1), 1), 1, 0, 2, 50_000, T0 + 60_000, T0 + 3_600_000);
        ContractJournalRecord record = damage == Damage.NotThisBoards
            ? new ContractJournalRecord(ContractJournalKind.Prepared, ContractRole.Receiver, new NodeId(1), offer) // board 1's offer, received
            : new ContractJournalRecord(ContractJournalKind.Committed, ContractRole.Owner, new NodeId(2), offer);
        string path;
        using (var journal = new ContractFileJournal(dir.Path, 1))
        {
            journal.Append(record);
            path = journal.File.FilePath;
        }

        using var reopened = new ContractFileJournal(dir.Path, 1);
        Assert.Single(reopened.ReadAll()); // the file itself is whole: the exchange refuses its step
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Start(reopened));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("record 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_journal_of_many_tiny_records_is_refused_at_the_first_without_holding_them_all()
    {
        // 1,000,000 whole 1-byte records (9 MB, every CRC right): none is a contract record.
        using var dir = new TempDir();
        long length;
        using (var file = new ContractJournalFile(dir.Path, 1))
        {
            file.Rewrite([.. Enumerable.Repeat(new byte[] { 7 }, 1_000_000)]);
            length = file.Length;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => new ContractFileJournal(dir.Path, 1));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("record 0 (1 bytes)", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1.5 * length, $"{allocated} bytes allocated to refuse a journal of {length}");
    }

    [Fact]
    public void A_journal_of_a_committed_offer_starts_with_the_transfer_open()
    {
        using var dir = new TempDir();
        var offer = new ContractOffer(new TransferId(new NodeId(1), 1), 1, 0, 2, 50_000, T0 + 60_000, T0 + 3_600_000);
        using (var journal = new ContractFileJournal(dir.Path, 1))
        {
            journal.Append(new ContractJournalRecord(ContractJournalKind.Offered, ContractRole.Owner, new NodeId(2), offer));
            journal.Append(new ContractJournalRecord(ContractJournalKind.Committed, ContractRole.Owner, new NodeId(2), offer));
        }

        using var reopened = new ContractFileJournal(dir.Path, 1);
        ContractHost host = Start(reopened);
        Assert.True(host.Exchange.TryGetTransfer(offer.Transfer, out ContractTransfer t));
        Assert.Equal(TransferState.Committed, t.State);
    }

    private static ContractHost Start(ContractFileJournal journal)
    {
        var config = new FirmwareConfig
        {
            NodeId = 1,
            ClusterId = 9,
            Roster = [1, 2],
            Rack = new RackConfig { Servers = [new ServerConfig { Name = "b", Count = 2, Job = "batch" }] },
            Jobs = [new JobConfig { Name = "batch", Deferrable = true }],
            Contracts =
            [
                new ContractConfig
                {
                    Id = 1, Partner = 2, PriceMin = 0.02, PriceMax = 0.2, ClassesOut = ["batch"], MaxUnitsPerHour = 4,
                    ValidFrom = "2020-01-01T00:00:00Z", ValidUntil = "2100-01-01T00:00:00Z",
                },
            ],
        };
        var log = new Logger("test", LogLevel.Error, TextWriter.Null);
        var options = new NodeOptions { Node = new NodeId(1), Incarnation = 1, ClusterId = 9, Key = new ClusterKey(1, new byte[32]) };
        var node = new ProtocolNode(options, Nowhere.Instance, Nowhere.Instance, new SplitMix64Random(1), 0);
        var signer = new Ed25519Signer(new byte[Ed25519Signer.SeedSize]);
        var market = new MarketClock(DateTime.UnixEpoch.AddMilliseconds(T0), T0, 1, () => T0);
        return new ContractHost(config, ContractDefinition.FromConfig(config), node, signer, new SigningRoster(), _ => journal,
            new ContractRackWork(new RackController(config, 1, log), config.Jobs), market, log, 0, T0, digestGraceUs: 1_000_000);
    }

    private sealed class Nowhere : IDatagramSink, IDeliveryHandler
    {
        public static readonly Nowhere Instance = new();

        public void Send(Destination destination, ReadOnlySpan<byte> datagram)
        {
        }

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }
    }
}
