using EdgeGovernor.Fuzz.Targets;
using SharpFuzz;

namespace EdgeGovernor.Fuzz;

/// <summary>
/// <c>EdgeGovernor.Fuzz TARGET</c>: the AFL++ entry (SharpFuzz out-of-process persistent mode; inputs on the
/// fork server's shared memory). <c>EdgeGovernor.Fuzz TARGET --replay FILE|DIR...</c>: runs the target once per
/// file and exits 1 naming the first input that throws (the corpus and the crash regressions use this).
/// <c>TARGET --write-seeds DIR</c> writes the target's seed corpus.
/// <c>--list</c> names the targets.
/// </summary>
internal static class Program
{
    /// <summary>Every target, in <c>--list</c> order.</summary>
    internal static IReadOnlyList<IFuzzTarget> AllTargets => Targets;

    private static readonly IFuzzTarget[] Targets =
    [
        new WireTarget(),
        new EntsoeTarget(),
        new ClusterNodeTarget(),
        new PriceRecordTarget(),
        new ConfigTarget(),
        new SecretFilesTarget(),
        new CsvFeedTarget(),
        new HttpJsonFeedTarget(),
        new StatusReplyTarget(),
        new HttpRequestTarget(),
        new IpmiTarget(),
        new VoteFileTarget(),
        new JournalTarget(),
        new RedfishServerTarget(),
        new RedfishPduTarget(),
        new ContractTarget(),
        new ContractJournalTarget(),
        new ContractDigestTarget(),
    ];

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h")
        {
            Console.WriteLine("usage: EdgeGovernor.Fuzz TARGET            (under afl-fuzz)");
            Console.WriteLine("       EdgeGovernor.Fuzz TARGET --replay PATH...");
            Console.WriteLine("       EdgeGovernor.Fuzz TARGET --write-seeds DIR");
            Console.WriteLine("       EdgeGovernor.Fuzz --list");
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] == "--list")
        {
            foreach (IFuzzTarget t in Targets)
            {
                Console.WriteLine($"{t.Name,-12} {t.Description}");
            }
            return 0;
        }
        IFuzzTarget? target = Array.Find(Targets, t => t.Name == args[0]);
        if (target is null)
        {
            Console.Error.WriteLine($"unknown target '{args[0]}' (--list names them)");
            return 2;
        }
        if (args.Length > 1 && args[1] == "--replay")
        {
            return Replay(target, args.AsSpan(2));
        }
        if (args.Length == 3 && args[1] == "--write-seeds")
        {
            Directory.CreateDirectory(args[2]);
            int n = 0;
            foreach (byte[] seed in target.Seeds())
            {
                File.WriteAllBytes(Path.Combine(args[2], $"seed-{++n:D3}"), seed);
            }
            Console.WriteLine($"{target.Name}: {n} seeds written to {args[2]}");
            return 0;
        }
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    }

    private static int Replay(IFuzzTarget target, ReadOnlySpan<string> paths)
    {
        int count = 0;
        foreach (string path in paths)
        {
            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                : [path];
            foreach (string file in files)
            {
                try
                {
                    target.Run(File.ReadAllBytes(file));
                }
                catch (Exception ex)
                {
                    Console.Error.WriteLine($"{target.Name}: {file}: {ex.GetType().Name}: {ex.Message}");
                    Console.Error.WriteLine(ex.StackTrace);
                    return 1;
                }
                count++;
            }
        }
        Console.WriteLine($"{target.Name}: {count} inputs replayed, none threw");
        return 0;
    }
}
