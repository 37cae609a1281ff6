using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.TestSupport;

namespace EdgeGovernor.Firmware.Tests.Contracts;

/// <summary>The contract journal file: records survive a reopen; a torn last record is dropped; damage is refused naming the file.</summary>
public sealed class ContractJournalFileTests
{
    private static byte[] Record(int n, int size = 40) => [.. Enumerable.Range(0, size).Select(i => (byte)(n * 31 + i))];

    [Fact]
    public void Records_round_trip_through_a_reopen_in_order()
    {
        using var dir = new TempDir();
        using (var journal = new ContractJournalFile(dir.Path, 7))
        {
            Assert.Empty(journal.LoadAll());
            for (int i = 0; i < 50; i++)
            {
                journal.Append(Record(i, 1 + (i * 37 % ContractJournalFile.MaxRecordBytes)));
            }
        }
        using var again = new ContractJournalFile(dir.Path, 7);
        List<byte[]> records = again.LoadAll();
        Assert.Equal(50, records.Count);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(Record(i, 1 + (i * 37 % ContractJournalFile.MaxRecordBytes)), records[i]);
        }
        again.Append(Record(99));
        again.Dispose();
        using var third = new ContractJournalFile(dir.Path, 7);
        Assert.Equal(Record(99), third.LoadAll()[^1]);
    }

    [Fact]
    public void A_last_record_cut_short_by_a_crash_is_dropped_and_the_file_truncated()
    {
        using var dir = new TempDir();
        string path;
        using (var journal = new ContractJournalFile(dir.Path, 1))
        {
            journal.LoadAll();
            journal.Append(Record(1));
            journal.Append(Record(2));
            path = journal.FilePath;
        }
        long whole = new FileInfo(path).Length;
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(whole - 5); // the second record's tail never reached the disk
        }
        using var reopened = new ContractJournalFile(dir.Path, 1);
        List<byte[]> records = reopened.LoadAll();
        Assert.Equal([Record(1)], records);
        Assert.Equal(ContractJournalFile.HeaderBytes + 40 - 5, reopened.TornBytesDropped);
        reopened.Append(Record(3));
        reopened.Dispose();
        using var third = new ContractJournalFile(dir.Path, 1);
        Assert.Equal([Record(1), Record(3)], third.LoadAll());
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("zero-length")]
    [InlineData("huge-length")]
    public void A_damaged_journal_is_refused_naming_the_file(string damage)
    {
        using var dir = new TempDir();
        string path;
        using (var journal = new ContractJournalFile(dir.Path, 3))
        {
            journal.LoadAll();
            journal.Append(Record(1));
            journal.Append(Record(2));
            path = journal.FilePath;
        }
        byte[] bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "flip":
                bytes[ContractJournalFile.HeaderBytes + 3] ^= 0x10; // inside the first record
                break;
            case "zero-length":
                bytes[0] = bytes[1] = bytes[2] = bytes[3] = 0;
                break;
            default:
                bytes[0] = 0x7F;
                break;
        }
        File.WriteAllBytes(path, bytes);
        using var reopened = new ContractJournalFile(dir.Path, 3);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => reopened.LoadAll());
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(path)); // left as it was for the operator
    }

    [Fact]
    public void A_journal_above_the_size_bound_is_refused_and_oversized_records_are_not_written()
    {
        using var dir = new TempDir();
        using var journal = new ContractJournalFile(dir.Path, 4);
        using (var f = new FileStream(journal.FilePath, FileMode.CreateNew))
        {
            f.SetLength(ContractJournalFile.MaxFileBytes + 1);
        }
        Assert.Contains(journal.FilePath, Assert.Throws<InvalidDataException>(() => journal.LoadAll()).Message, StringComparison.Ordinal);
        File.Delete(journal.FilePath);
        journal.LoadAll();
        Assert.Throws<ArgumentException>(() => journal.Append(new byte[ContractJournalFile.MaxRecordBytes + 1]));
        Assert.Throws<ArgumentException>(() => journal.Append([]));
    }

    [Fact]
    public void A_journal_longer_than_its_length_said_is_refused_at_the_bound_without_reading_the_rest()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        // A pipe claims no length (as a file growing while it is read claims too little): 48 MiB arrive.
        using var dir = new TempDir();
        using var journal = new ContractJournalFile(dir.Path, 6);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", journal.FilePath))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var writer = new Thread(() =>
        {
            byte[] chunk = new byte[1 << 20];
            try
            {
                using var pipe = new FileStream(journal.FilePath, FileMode.Open, FileAccess.Write);
                for (int i = 0; i < 48; i++)
                {
                    pipe.Write(chunk);
                }
            }
            catch (IOException)
            {
                // the reader stopped at the bound and closed the pipe
            }
        });
        writer.Start();

        long before = GC.GetAllocatedBytesForCurrentThread();
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => journal.LoadAll());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(writer.Join(TimeSpan.FromSeconds(30)), "the writer never finished");
        Assert.Contains(journal.FilePath, e.Message, StringComparison.Ordinal);
        Assert.Contains($"more than {ContractJournalFile.MaxFileBytes} bytes", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 2.1 * ContractJournalFile.MaxFileBytes, $"{allocated} bytes allocated to read a journal of at most {ContractJournalFile.MaxFileBytes}");
    }

    [Fact]
    public void Rewrite_keeps_only_the_records_given_and_appends_continue_after_them()
    {
        using var dir = new TempDir();
        using (var journal = new ContractJournalFile(dir.Path, 5))
        {
            journal.LoadAll();
            for (int i = 0; i < 10; i++)
            {
                journal.Append(Record(i));
            }
            journal.Rewrite([Record(8), Record(9)]);
            journal.Append(Record(10));
        }
        using var reopened = new ContractJournalFile(dir.Path, 5);
        Assert.Equal([Record(8), Record(9), Record(10)], reopened.LoadAll());
    }

    [Fact]
    public void A_journal_removed_while_open_fails_its_append_takes_no_more_and_is_never_made_again_empty_when_reopened()
    {
        using var dir = new TempDir();
        string state = Path.Combine(dir.Path, "state");
        using var journal = new ContractJournalFile(state, 6);
        journal.LoadAll();
        journal.Append(Record(1));
        Directory.Move(state, state + ".away"); // the open file still takes writes; a restart would not find them

        IOException removed = Assert.Throws<IOException>(() => journal.Append(Record(2)));
        Assert.Contains(journal.FilePath, removed.Message, StringComparison.Ordinal);
        Assert.Contains("removed while open", removed.Message, StringComparison.Ordinal);
        Assert.Contains("not open", Assert.Throws<InvalidOperationException>(() => journal.Append(Record(3))).Message, StringComparison.Ordinal);
        File.WriteAllText(state, "a file where the directory was");
        IOException rewrite = Assert.Throws<IOException>(() => journal.Rewrite([Record(1)]));
        Assert.Contains(journal.FilePath, rewrite.Message, StringComparison.Ordinal);
        Assert.Contains("rewriting it failed", rewrite.Message, StringComparison.Ordinal);
        File.Delete(state);

        using var reopened = new ContractJournalFile(state, 6, mustExist: true);
        Assert.Contains("is gone", Assert.Throws<IOException>(() => reopened.LoadAll()).Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(state)); // no new empty journal that would forget the transfers
        Directory.Move(state + ".away", state);
        Assert.Equal([Record(1), Record(2)], reopened.LoadAll()); // the record synced before the removal was noticed is there
    }
}
