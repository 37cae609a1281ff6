using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Vote files through <see cref="FileVoteStore.Load"/> (node 1 of a roster of 5), the input written to the store's own
/// file in the scratch directory. A bad file is refused with <see cref="InvalidDataException"/>, the documented result;
/// a vote accepted must lie within the bounds the store promises.
/// </summary>
internal sealed class VoteFileTarget : IFuzzTarget
{
    private static readonly NodeId[] Roster = [new(1), new(2), new(3), new(4), new(5)];

    private FileVoteStore? _store;

    public string Name => "vote";

    public string Description => "the persisted Raft vote file (FileVoteStore.Load)";

    public void Run(ReadOnlySpan<byte> input)
    {
        _store ??= new FileVoteStore(Path.Combine(FuzzScratch.Directory, "votes"), 1, Roster);
        File.WriteAllBytes(_store.FilePath, input.ToArray());
        PersistentVote vote;
        try
        {
            vote = _store.Load();
        }
        catch (InvalidDataException)
        {
            return;
        }
        if (vote.Term > WireLimits.MaxTerm || (vote.VotedFor.Value != 0 && Array.IndexOf(Roster, vote.VotedFor) < 0))
        {
            throw new InvalidOperationException($"accepted term {vote.Term}, vote for {vote.VotedFor.Value}");
        }
    }

    public IEnumerable<byte[]> Seeds()
    {
        yield return "12 3\n"u8.ToArray();
        yield return "0 0\n"u8.ToArray();
        yield return "4611686018427387903 5"u8.ToArray();
        yield return "7 9\n"u8.ToArray();
    }
}
