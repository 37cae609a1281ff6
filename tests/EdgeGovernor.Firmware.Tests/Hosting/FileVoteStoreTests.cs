using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>
/// The Raft vote file, written through hal's AtomicFile (temp file, fsync, rename, fsync of the directory
/// opened with the running architecture's O_DIRECTORY), and validated on load.
/// </summary>
public sealed class FileVoteStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegov-votes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private FileVoteStore Store() => new(_dir, 3, [new NodeId(1), new NodeId(2), new NodeId(3)]);

    [Fact]
    public void A_saved_vote_is_one_line_and_reads_back_in_a_new_store()
    {
        var store = new FileVoteStore(_dir, 3);
        Assert.Equal(default, store.Load());

        store.Save(new PersistentVote(7, new NodeId(2)));
        store.Save(new PersistentVote(8, new NodeId(5)));

        Assert.Equal("8 5\n", File.ReadAllText(store.FilePath));
        Assert.Equal(2, store.Saves);
        Assert.Equal(new PersistentVote(8, new NodeId(5)), new FileVoteStore(_dir, 3).Load());
        Assert.Equal(["vote-3"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_temporary_file_left_by_a_crash_is_replaced_and_the_old_vote_holds_until_then()
    {
        var store = new FileVoteStore(_dir, 4);
        store.Save(new PersistentVote(2, new NodeId(4)));
        File.WriteAllText(store.FilePath + ".tmp", "99 9"); // crash between write and rename

        Assert.Equal(new PersistentVote(2, new NodeId(4)), new FileVoteStore(_dir, 4).Load());
        store.Save(new PersistentVote(3, new NodeId(1)));

        Assert.Equal("3 1\n", File.ReadAllText(store.FilePath));
        Assert.False(File.Exists(store.FilePath + ".tmp"));
    }

    [Fact]
    public void A_garbled_vote_file_refuses_to_load()
    {
        var store = new FileVoteStore(_dir, 5);
        File.WriteAllText(store.FilePath, "seven two");
        Assert.Throws<InvalidDataException>(() => store.Load());
    }

    [Fact]
    public void A_saved_vote_loads_back_and_a_missing_file_is_term_0()
    {
        FileVoteStore store = Store();
        Assert.Equal(default, store.Load());
        store.Save(new PersistentVote(42, new NodeId(2)));
        Assert.Equal(new PersistentVote(42, new NodeId(2)), Store().Load());
        store.Save(new PersistentVote(43, NodeId.None));
        Assert.Equal(new PersistentVote(43, NodeId.None), Store().Load());
    }

    [Theory]
    [InlineData("18446744073709551615 0\n", "above the highest term")] // the term of issue 12's defect 2
    [InlineData("9223372036854775808 1\n", "above the highest term")]
    [InlineData("7 9\n", "not in the roster")]
    [InlineData("7\n", "garbled")]
    [InlineData("-1 0\n", "garbled")]
    [InlineData("7 1\n8 2\n", "garbled")]
    [InlineData("7  1\n", "garbled")]
    [InlineData("", "garbled")]
    public void A_bad_vote_file_is_refused_naming_the_file_and_the_recovery(string content, string why)
    {
        FileVoteStore store = Store();
        File.WriteAllText(store.FilePath, content);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => store.Load());
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains(store.FilePath, e.Message, StringComparison.Ordinal);
        Assert.Contains($"rm '{store.FilePath}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_vote_file_is_refused_without_reading_it()
    {
        FileVoteStore store = Store();
        File.WriteAllText(store.FilePath, new string('1', 10_000));
        Assert.Contains("bytes long", Assert.Throws<InvalidDataException>(() => store.Load()).Message, StringComparison.Ordinal);
    }
}
