using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The contract exchange's journal on disk: <c>contracts-&lt;node&gt;.journal</c> in the state directory, an
/// append-only sequence of records, each framed as
/// <code>
///  0                4                8
///  +----------------+----------------+----------------------------+
///  | length u32 BE  | CRC-32C u32 BE | record (length bytes)      |
///  +----------------+----------------+----------------------------+
/// </code>
/// (the CRC covers the length field and the record). <see cref="Append"/> writes one record and fsyncs before it
/// returns, so a message that depends on the record leaves only once the record would survive a power loss.
/// <see cref="Load"/> validates the whole file: at most <see cref="MaxFileBytes"/> bytes, records of 1 to
/// <see cref="MaxRecordBytes"/> bytes, every CRC right. A last record cut short (a crash during its append: its message
/// never left) is dropped and the file truncated to the last whole record; any other damage refuses the file with
/// <see cref="InvalidDataException"/> naming it, because a node that forgot a transfer could run a unit twice or lose it.
/// <see cref="Rewrite"/> replaces the file (temporary file, fsync, rename) with the records still needed.
/// </summary>
internal sealed class ContractJournalFile : IDisposable
{
    /// <summary>Largest journal file accepted.</summary>
    public const long MaxFileBytes = 16 << 20;

    /// <summary>Largest record accepted.</summary>
    public const int MaxRecordBytes = 4096;

    /// <summary>Bytes of a record's frame header.</summary>
    public const int HeaderBytes = 8;

    private readonly byte[] _frame = new byte[HeaderBytes + MaxRecordBytes];
    private FileStream? _stream;

    /// <summary>The journal of board <paramref name="node"/> in <paramref name="directory"/> (created if needed, unless
    /// <paramref name="mustExist"/>: then <see cref="Load"/> refuses a missing file).</summary>
    /// <param name="directory">The state directory.</param>
    /// <param name="node">This board.</param>
    /// <param name="mustExist">True when reopening a journal this process had open: a missing file (its directory
    /// removed, the file deleted) is an error, never a new empty journal, which would forget the open transfers.</param>
    public ContractJournalFile(string directory, uint node, bool mustExist = false)
    {
        FilePath = Path.Combine(directory, $"contracts-{node.ToString(CultureInfo.InvariantCulture)}.journal");
        MustExist = mustExist;
        if (mustExist)
        {
            return;
        }
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"state directory '{directory}' (stateDirectory) cannot be used: {(File.Exists(directory) ? "it is a file, not a directory" : Observability.ErrorText.Describe(e))}", e);
        }
    }

    /// <summary>True when <see cref="Load"/> refuses a missing file.</summary>
    public bool MustExist { get; }

    /// <summary>The file's path.</summary>
    public string FilePath { get; }

    /// <summary>Bytes in the file (after <see cref="Load"/>, appends and rewrites).</summary>
    public long Length { get; private set; }

    /// <summary>Records appended since the process started.</summary>
    public long Appends { get; private set; }

    /// <summary>Bytes dropped at load from a last record cut short by a crash (0: none).</summary>
    public long TornBytesDropped { get; private set; }

    /// <summary>The temporary file <see cref="Rewrite"/> writes before it renames it over <see cref="FilePath"/>.</summary>
    public string TemporaryPath => FilePath + ".tmp";

    /// <summary>True when <see cref="Load"/> removed a temporary file a rewrite left behind (a crash before its rename).</summary>
    public bool RemovedTemporary { get; private set; }

    /// <summary>Reads and validates every record, hands each to <paramref name="read"/> in order (oldest first; valid
    /// during the call: nothing is held per record, so what reading costs is the file's bytes, bounded, whatever their
    /// number; an exception from <paramref name="read"/> stops the load), then opens the file for appending. A temporary
    /// file left by a rewrite that crashed before its rename is removed (the journal itself is still the old one, whole).</summary>
    /// <exception cref="InvalidDataException">The file is damaged (names it).</exception>
    /// <exception cref="IOException">It cannot be read or opened, or it is missing while <see cref="MustExist"/>.</exception>
    public void Load(Action<ReadOnlySpan<byte>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (MustExist && !File.Exists(FilePath))
        {
            throw new IOException($"contract journal '{FilePath}' is gone (the file or its directory was removed): a new empty journal "
                + "would forget the open transfers, so none is made. Put the file back (the same records) for the contracts to resume, "
                + "or restart the node after reconciling the units in flight with the partner's journal");
        }
        if (File.Exists(TemporaryPath))
        {
            File.Delete(TemporaryPath);
            RemovedTemporary = true;
        }
        if (File.Exists(FilePath))
        {
            ReadOnlySpan<byte> content = ReadBounded();
            int at = 0;
            while (at < content.Length)
            {
                if (content.Length - at < HeaderBytes)
                {
                    break; // torn header
                }
                uint size = BinaryPrimitives.ReadUInt32BigEndian(content[at..]);
                if (size is 0 or > MaxRecordBytes)
                {
                    throw Refuse($"has a record of {size} bytes at offset {at} (1..{MaxRecordBytes})");
                }
                if (content.Length - at - HeaderBytes < size)
                {
                    break; // torn record
                }
                uint crc = BinaryPrimitives.ReadUInt32BigEndian(content[(at + 4)..]);
                ReadOnlySpan<byte> record = content.Slice(at + HeaderBytes, (int)size);
                if (Crc(content.Slice(at, 4), record) != crc)
                {
                    throw Refuse($"has a record at offset {at} whose checksum is wrong");
                }
                read(record);
                at += HeaderBytes + (int)size;
            }
            TornBytesDropped = content.Length - at;
            Length = at;
        }
        _stream?.Dispose();
        _stream = new FileStream(FilePath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        if (_stream.Length != Length)
        {
            _stream.SetLength(Length);
            _stream.Flush(flushToDisk: true);
        }
        _stream.Position = Length;
    }

    /// <summary>Appends one record and fsyncs it. When writing or syncing fails the file is cut back to its last whole
    /// record (best effort) and closed: a later record must never follow a torn one, so nothing more is appended until
    /// the file is loaded again. A file removed while open (its directory deleted or moved) fails the append too, after
    /// the sync: records written to it would not be there for a restart.</summary>
    /// <exception cref="ArgumentException">Empty or longer than <see cref="MaxRecordBytes"/>.</exception>
    /// <exception cref="InvalidOperationException">Not open (not loaded, or an append or rewrite failed), or the file
    /// would outgrow <see cref="MaxFileBytes"/>.</exception>
    /// <exception cref="IOException">Writing or syncing failed, or the file was removed (the message names the file and the OS error).</exception>
    public void Append(ReadOnlySpan<byte> record)
    {
        FileStream stream = _stream ?? throw new InvalidOperationException($"contract journal '{FilePath}' is not open (not loaded, or an append or rewrite failed; load it again)");
        if (record.IsEmpty || record.Length > MaxRecordBytes)
        {
            throw new ArgumentException($"a journal record is 1 to {MaxRecordBytes} bytes (got {record.Length})", nameof(record));
        }
        if (Length + HeaderBytes + record.Length > MaxFileBytes)
        {
            throw new InvalidOperationException($"contract journal '{FilePath}' is full ({Length} bytes); it must be rewritten first");
        }
        int n = Frame(record, _frame);
        try
        {
            stream.Write(_frame, 0, n);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Close(cutTo: Length);
            throw new IOException($"contract journal '{FilePath}': appending a record failed: {Observability.ErrorText.Describe(e)}", e);
        }
        Length += n;
        Appends++;
        if (!File.Exists(FilePath))
        {
            Close(cutTo: -1);
            throw new IOException($"contract journal '{FilePath}' was removed while open (the file or its directory was deleted or moved): records appended to it would not be there for a restart");
        }
    }

    // Closes the stream after a failed append, first cutting a torn record off (best effort: the disk may refuse that too).
    private void Close(long cutTo)
    {
        FileStream? stream = _stream;
        _stream = null;
        if (stream is null)
        {
            return;
        }
        try
        {
            if (cutTo >= 0 && stream.Length != cutTo)
            {
                stream.SetLength(cutTo);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Load cuts a torn last record off, or refuses a damaged file.
        }
        finally
        {
            try
            {
                stream.Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nothing is buffered (a buffer of 1 byte, flushed after every write).
            }
        }
    }

    /// <summary>Replaces the file with <paramref name="records"/> (atomically: temporary file, fsync, rename, directory
    /// fsync; a crash at any point leaves the old file or the new one, whole). Whatever fails, the file is reopened for
    /// appending afterwards at its path, so later appends go to the journal a restart reads.</summary>
    /// <exception cref="InvalidOperationException">The records would outgrow <see cref="MaxFileBytes"/> (nothing is written).</exception>
    /// <exception cref="IOException">Writing, syncing or renaming failed (the old file or the new one is in place; names the file).</exception>
    public void Rewrite(IReadOnlyList<byte[]> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var buffer = new MemoryStream();
        byte[] frame = new byte[HeaderBytes + MaxRecordBytes];
        foreach (byte[] r in records)
        {
            if (r.Length is 0 or > MaxRecordBytes)
            {
                throw new ArgumentException($"a journal record is 1 to {MaxRecordBytes} bytes (got {r.Length})", nameof(records));
            }
            buffer.Write(frame, 0, Frame(r, frame));
        }
        if (buffer.Length > MaxFileBytes)
        {
            throw new InvalidOperationException($"contract journal '{FilePath}' would hold {buffer.Length} bytes (at most {MaxFileBytes})");
        }
        _stream?.Dispose();
        _stream = null;
        try
        {
            try
            {
                AtomicFile.Write(FilePath, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            }
            finally
            {
                _stream = new FileStream(FilePath, FileMode.Open, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
                Length = _stream.Length;
                _stream.Position = Length;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Hal.HalException) // HalException: the directory's fsync
        {
            throw new IOException($"contract journal '{FilePath}': rewriting it failed: {Observability.ErrorText.Describe(e)}", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }

    /// <summary>
    /// The file's bytes, read through one handle whatever length it claims (it may grow while it is read, or be no regular
    /// file and claim none): into a buffer of the claimed length + 1 and, when that fills, one of the bound + 1; a file
    /// that fills that too is refused. At most <see cref="MaxFileBytes"/> + 1 bytes are read, into at most twice that.
    /// </summary>
    private ReadOnlySpan<byte> ReadBounded()
    {
        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        long claimed = stream.CanSeek ? stream.Length : 0;
        if (claimed > MaxFileBytes)
        {
            throw Refuse($"is {claimed} bytes long (at most {MaxFileBytes})");
        }
        byte[] buffer = new byte[Math.Min(Math.Max(claimed + 1, 4096), MaxFileBytes + 1)]; // + 1: the end is seen without growing
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > MaxFileBytes)
                {
                    throw Refuse($"is more than {MaxFileBytes} bytes long");
                }
                Array.Resize(ref buffer, (int)MaxFileBytes + 1); // longer than it claimed: once to the bound
            }
            int n = stream.Read(buffer, length, buffer.Length - length);
            if (n == 0)
            {
                break;
            }
            length += n;
        }
        return buffer.AsSpan(0, length);
    }

    private static int Frame(ReadOnlySpan<byte> record, Span<byte> frame)
    {
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)record.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame[4..], Crc(frame[..4], record));
        record.CopyTo(frame[HeaderBytes..]);
        return HeaderBytes + record.Length;
    }

    /// <summary>CRC-32C of the length field and the record.</summary>
    private static uint Crc(ReadOnlySpan<byte> length, ReadOnlySpan<byte> record)
    {
        uint crc = 0xFFFF_FFFFu;
        foreach (byte b in length)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        int i = 0;
        for (; i + 8 <= record.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(record[i..]));
        }
        for (; i < record.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, record[i]);
        }
        return ~crc;
    }

    private InvalidDataException Refuse(string why) =>
        new($"contract journal '{FilePath}' {why}; refusing to start: a lost transfer record could run a unit twice or lose it. "
            + "To recover: stop this node and its contract partners' exchanges, reconcile the units in flight with the partner's "
            + $"journal, then move the file aside (mv '{FilePath}' '{FilePath}.bad') and start again.");
}
