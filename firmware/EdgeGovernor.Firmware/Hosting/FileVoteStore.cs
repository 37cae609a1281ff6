using System.Globalization;
using EdgeGovernor.Hal.State;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// Raft's term and vote on disk: <c>vote-&lt;node&gt;</c> in the state directory, one line
/// <c>term votedFor</c>. <see cref="Save"/> goes through hal's <see cref="AtomicFile"/> (temporary file,
/// fsync, rename over the old one, fsync of the directory), so the vote survives a crash or power loss
/// before any message that depends on it leaves. <see cref="Load"/> validates the file (one line of two decimal numbers,
/// at most <see cref="MaxFileBytes"/> bytes, a term of at most <see cref="WireLimits.MaxTerm"/>, a vote
/// for none (0) or a roster member) and refuses a bad one with <see cref="InvalidDataException"/>
/// naming the file and the recovery (<see cref="RecoveryHint"/>): a node must not forget a vote
/// silently, nor start from a term no election can follow.
/// </summary>
internal sealed class FileVoteStore : IVoteStore
{
    /// <summary>Longest vote file accepted (two 20-digit numbers, a space and a newline fit easily).</summary>
    public const int MaxFileBytes = 64;

    private readonly string _path;
    private readonly HashSet<uint>? _roster;

    /// <summary>Opens (creating the directory if needed) the vote file of <paramref name="node"/>.</summary>
    /// <param name="directory">The state directory.</param>
    /// <param name="node">This node's id.</param>
    /// <param name="roster">The voters; when given, a saved vote for anyone else is refused at <see cref="Load"/>.</param>
    public FileVoteStore(string directory, uint node, IEnumerable<NodeId>? roster = null)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"state directory '{directory}' (stateDirectory) cannot be used: {(File.Exists(directory) ? "it is a file, not a directory" : Observability.ErrorText.Describe(e))}", e);
        }
        _path = Path.Combine(directory, $"vote-{node.ToString(CultureInfo.InvariantCulture)}");
        _roster = roster is null ? null : [.. roster.Select(n => n.Value)];
    }

    /// <summary>The file path.</summary>
    public string FilePath => _path;

    /// <summary>Saves so far.</summary>
    public long Saves { get; private set; }

    /// <summary>What an operator does about a refused vote file (part of the error message).</summary>
    public string RecoveryHint =>
        $"To recover: stop this node, wait until the rest of the cluster has a coordinator, then delete the file (rm '{_path}') "
        + "and start the node again; it rejoins at term 0 and takes the coordinator's term from its heartbeat.";

    /// <inheritdoc/>
    public PersistentVote Load()
    {
        if (!File.Exists(_path))
        {
            return default;
        }

        long length = new FileInfo(_path).Length;
        if (length > MaxFileBytes)
        {
            throw Refuse($"is {length} bytes long (at most {MaxFileBytes})");
        }

        string text = File.ReadAllText(_path);
        string line = text.EndsWith('\n') ? text[..^1] : text;
        string[] parts = line.Split(' ');
        if (line.Contains('\n', StringComparison.Ordinal)
            || parts.Length != 2
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong term)
            || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint votedFor))
        {
            throw Refuse($"is garbled ('{Printable(text)}'; expected one line 'term votedFor')");
        }

        if (term > WireLimits.MaxTerm)
        {
            throw Refuse($"holds term {term}, above the highest term {WireLimits.MaxTerm}");
        }

        if (votedFor != 0 && _roster is not null && !_roster.Contains(votedFor))
        {
            throw Refuse($"holds a vote for node {votedFor}, which is not in the roster");
        }

        return new PersistentVote(term, new NodeId(votedFor));
    }

    /// <inheritdoc/>
    public void Save(PersistentVote vote)
    {
        AtomicFile.Write(_path, System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{vote.Term} {vote.VotedFor.Value}\n")));
        Saves++;
    }

    private InvalidDataException Refuse(string why) =>
        new($"vote file '{_path}' {why}; refusing to start without a trustworthy persisted vote. {RecoveryHint}");

    private static string Printable(string text)
    {
        string shown = text.Length > MaxFileBytes ? text[..MaxFileBytes] : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c));
    }
}
