using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>
/// The Raft vote file, written through hal's AtomicFile (temp file, fsync, rename, fsync of the directory
/// opened with the running architecture's O_DIRECTORY).
/// </summary>
public sealed class FileVoteStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegov-votes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

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
}
