using EdgeGovernor.Firmware.Hosting;

namespace EdgeGovernor.Firmware.Tests.Contracts;

/// <summary>The journal file's records as a list, for the tests that compare them (the product decodes each as it is read).</summary>
internal static class ContractJournalFileLoading
{
    /// <summary><see cref="ContractJournalFile.Load(Action{ReadOnlySpan{byte}})"/>, returning a copy of each record.</summary>
    public static List<byte[]> LoadAll(this ContractJournalFile file)
    {
        var records = new List<byte[]>();
        file.Load(record => records.Add(record.ToArray()));
        return records;
    }
}
