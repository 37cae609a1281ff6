using System.Text.Json;

namespace EdgeGovernor.Hal.State;

/// <summary>
/// The state file: before an actuator's first change it records what it found; an orderly stop
/// restores everything and deletes the file; a file still present at start means the last run
/// crashed, and <see cref="OpenAndRecover"/> restores first. Every change of the file is atomic
/// (write a temporary file, fsync, rename over the old one, fsync the directory), so a crash leaves
/// either the old or the new content, never a torn one. An entry a restorer refuses as invalid
/// (<see cref="HalErrorKind.Invalid"/>: a target outside its tree, a value not in its format) is removed from the file
/// and reported in <see cref="RestoreReport.Refused"/>; one that fails otherwise stays for the next attempt. A file larger
/// than <see cref="MaxFileBytes"/> is refused as garbage. Thread-safe.
/// </summary>
public sealed class ActuatorStateJournal
{
    /// <summary>Largest state file read (bytes): a few hundred entries of a board take a few KiB.</summary>
    public const int MaxFileBytes = 1 << 20;

    private const int FormatVersion = 1;
    private readonly object _gate = new();
    private readonly List<SavedActuatorState> _entries;

    private ActuatorStateJournal(string path, List<SavedActuatorState> entries)
    {
        Path = path;
        _entries = entries;
        LeftOverFromPreviousRun = entries.Count > 0;
    }

    /// <summary>The state file.</summary>
    public string Path { get; }

    /// <summary>True when the file held entries at open: the previous run did not stop in order.</summary>
    public bool LeftOverFromPreviousRun { get; private set; }

    /// <summary>A snapshot of the recorded entries, in recording order.</summary>
    public IReadOnlyList<SavedActuatorState> Entries
    {
        get
        {
            lock (_gate)
            {
                return _entries.ToArray();
            }
        }
    }

    /// <summary>
    /// Opens the journal at <paramref name="path"/>, loading what a crashed run left behind.
    /// A file that is not a valid journal is a <see cref="HalErrorKind.Garbage"/> error: the firmware
    /// must not guess what to restore.
    /// </summary>
    public static ActuatorStateJournal Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = System.IO.Path.GetFullPath(path);
        var entries = new List<SavedActuatorState>();
        if (File.Exists(path))
        {
            entries.AddRange(Load(path));
        }

        return new ActuatorStateJournal(path, entries);
    }

    /// <summary>
    /// Opens the journal and, when a previous run left entries (a crash), restores them before
    /// anything else happens. Entries that cannot be restored stay in the file and in <paramref name="report"/>.
    /// </summary>
    public static ActuatorStateJournal OpenAndRecover(string path, IActuatorRestorer restorer, out RestoreReport report)
    {
        ActuatorStateJournal journal = Open(path);
        report = journal.LeftOverFromPreviousRun ? journal.RestoreAll(restorer) : new RestoreReport(0, []);
        return journal;
    }

    /// <summary>True when <paramref name="target"/> already has its original value recorded.</summary>
    public bool IsRecorded(string kind, string target)
    {
        lock (_gate)
        {
            return IndexOf(kind, target) >= 0;
        }
    }

    /// <summary>
    /// Records the value found at <paramref name="target"/> before the first change, and makes it durable
    /// before returning. Later calls for the same target keep the first value: that is what was found.
    /// </summary>
    public void RecordOriginal(string kind, string target, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            if (IndexOf(kind, target) >= 0)
            {
                return;
            }

            _entries.Add(new SavedActuatorState(kind, target, value));
            Persist();
        }
    }

    /// <summary>
    /// Restores every entry, last recorded first (so dependent settings unwind in reverse), with a
    /// second pass for entries that failed in the first (e.g. a cpufreq minimum above the maximum
    /// until the maximum is back). Entries refused as <see cref="HalErrorKind.Invalid"/> are not retried and leave the
    /// file. When nothing else failed the file is deleted; otherwise it keeps the failures.
    /// </summary>
    public RestoreReport RestoreAll(IActuatorRestorer restorer)
    {
        ArgumentNullException.ThrowIfNull(restorer);
        lock (_gate)
        {
            var pending = new List<SavedActuatorState>(_entries);
            pending.Reverse();
            var failures = new List<RestoreFailure>();
            var refused = new List<RestoreFailure>();
            int restored = 0;
            for (int pass = 0; pass < 2 && pending.Count > 0; pass++)
            {
                failures.Clear();
                foreach (SavedActuatorState state in pending)
                {
                    try
                    {
                        if (!restorer.CanRestore(state.Kind))
                        {
                            throw new HalException(HalErrorKind.Missing, $"no restorer for kind '{state.Kind}' (target {state.Target})", state.Target);
                        }

                        restorer.Restore(state);
                        restored++;
                    }
                    catch (HalException e) when (e.Kind == HalErrorKind.Invalid)
                    {
                        refused.Add(new RestoreFailure(state, e)); // not pending: removed from the file below
                    }
                    catch (HalException e)
                    {
                        failures.Add(new RestoreFailure(state, e));
                    }
                }

                pending = failures.ConvertAll(f => f.State);
            }

            _entries.RemoveAll(e => !pending.Contains(e));
            if (_entries.Count == 0)
            {
                File.Delete(Path);
                LeftOverFromPreviousRun = false;
            }
            else
            {
                Persist();
            }

            return new RestoreReport(restored, failures.ToArray()) { Refused = refused.ToArray() };
        }
    }

    private int IndexOf(string kind, string target) =>
        _entries.FindIndex(e => e.Kind == kind && e.Target == target);

    private static List<SavedActuatorState> Load(string path)
    {
        StateFile? file;
        try
        {
            using FileStream stream = File.OpenRead(path);
            if (stream.Length > MaxFileBytes)
            {
                throw new HalException(HalErrorKind.Garbage, $"state file {path} is {stream.Length} bytes, more than the {MaxFileBytes} a state file takes: not an EdgeGovernor state file", path);
            }
            byte[] content = new byte[stream.Length];
            stream.ReadExactly(content);
            file = JsonSerializer.Deserialize(content, StateJsonContext.Default.StateFile);
        }
        catch (JsonException e)
        {
            throw new HalException(HalErrorKind.Garbage, $"state file {path} is not valid JSON (line {e.LineNumber + 1}): {e.Message}", path, inner: e);
        }

        if (file is null || file.Version != FormatVersion || file.Entries is null)
        {
            throw new HalException(HalErrorKind.Garbage, $"state file {path} is not an EdgeGovernor state file of version {FormatVersion}", path);
        }

        foreach (SavedActuatorState? entry in file.Entries)
        {
            if (entry is null || string.IsNullOrEmpty(entry.Kind) || string.IsNullOrEmpty(entry.Target) || entry.Value is null)
            {
                throw new HalException(HalErrorKind.Garbage, $"state file {path} has an entry without kind, target or value", path);
            }
        }

        return file.Entries;
    }

    private void Persist()
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(new StateFile(FormatVersion, _entries), StateJsonContext.Default.StateFile);
        AtomicFile.Write(Path, json);
    }
}
