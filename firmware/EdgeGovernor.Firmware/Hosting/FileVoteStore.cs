using System.Globalization;
using EdgeGovernor.Firmware.Interop;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// Raft's term and vote on disk: <c>vote-&lt;node&gt;</c> in the state directory, one line
/// <c>term votedFor</c>. <see cref="Save"/> writes a temporary file, fsyncs it, renames it over the
/// old one and fsyncs the directory, so the vote survives a crash or power loss before any message
/// that depends on it leaves. An unreadable or garbled file is an error at start (a node must not
/// forget a vote silently).
/// </summary>
public sealed class FileVoteStore : IVoteStore
{
    private readonly string _path;
    private readonly string _directory;

    /// <summary>Opens (creating the directory if needed) the vote file of <paramref name="node"/>.</summary>
    public FileVoteStore(string directory, uint node)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"state directory '{directory}' (stateDirectory) cannot be used: {(File.Exists(directory) ? "it is a file, not a directory" : Observability.ErrorText.Describe(e))}", e);
        }
        _directory = directory;
        _path = Path.Combine(directory, $"vote-{node.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The file path.</summary>
    public string FilePath => _path;

    /// <summary>Saves so far.</summary>
    public long Saves { get; private set; }

    /// <inheritdoc/>
    public PersistentVote Load()
    {
        if (!File.Exists(_path))
        {
            return default;
        }
        string text = File.ReadAllText(_path).Trim();
        string[] parts = text.Split(' ');
        if (parts.Length != 2
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong term)
            || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint votedFor))
        {
            throw new InvalidDataException($"vote file '{_path}' is garbled ('{text}'); refusing to start without the persisted vote");
        }
        return new PersistentVote(term, new NodeId(votedFor));
    }

    /// <inheritdoc/>
    public void Save(PersistentVote vote)
    {
        string temp = _path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64, FileOptions.WriteThrough))
        {
            byte[] line = System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{vote.Term} {vote.VotedFor.Value}\n"));
            stream.Write(line);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, _path, overwrite: true);
        Libc.FSyncDirectory(_directory);
        Saves++;
    }
}
