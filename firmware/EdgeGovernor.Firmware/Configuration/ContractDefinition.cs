using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EdgeGovernor.Policy.Contracts;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// A validated <see cref="ContractConfig"/> as the running board uses it: the policy's <see cref="LoadContract"/>
/// (class bit i = <c>jobs[i]</c> of this board's configuration) and the digest the two partners compare to find
/// out whether they hold the same contract. Job classes are compared by name (each board numbers its own jobs), so
/// the digest is SHA-256 of a canonical encoding that names them:
/// <code>
///   "edgegov-contract-v1" | contract id u32 | holder u32 | partner u32 | priceMin f64 | priceMax f64 | maxUnitsPerHour i32
///   | migrationCostPerUnit f64 | validFromHour i64 | validToHour i64
///   | count u16, (length u16, UTF-8 name)* of classes out, sorted ordinally | the same of classes in
/// </code>
/// (big-endian). <see cref="OwnDigest"/> encodes this board's view, <see cref="MirroredDigest"/> the view the partner
/// must hold (holder and partner, classes out and in swapped): each board sends the partner its mirrored digest and
/// compares what it receives with its own. The local hysteresis is not part of the terms.
/// </summary>
internal sealed class ContractDefinition
{
    /// <summary>Size of a digest.</summary>
    public const int DigestSize = 32;

    private static readonly byte[] Domain = "edgegov-contract-v1"u8.ToArray();

    private ContractDefinition(uint id, uint holder, uint partner, LoadContract contract, string[] namesOut, string[] namesIn, double hysteresis)
    {
        Holder = holder;
        Partner = partner;
        Contract = contract;
        NamesOut = namesOut;
        NamesIn = namesIn;
        Hysteresis = hysteresis;
        Id = id;
        OwnDigest = Digest(id, holder, partner, contract, namesOut, namesIn);
        MirroredDigest = Digest(id, partner, holder, contract, namesIn, namesOut);
    }

    /// <summary>The contract's id (the same on both boards).</summary>
    public uint Id { get; }

    /// <summary>This board's node id.</summary>
    public uint Holder { get; }

    /// <summary>The partner's node id.</summary>
    public uint Partner { get; }

    /// <summary>The policy's view (class bits in this board's job numbering).</summary>
    public LoadContract Contract { get; }

    /// <summary>Job classes this board may send, sorted.</summary>
    public string[] NamesOut { get; }

    /// <summary>Job classes this board accepts, sorted.</summary>
    public string[] NamesIn { get; }

    /// <summary>This board's minimum gain per unit before it trades.</summary>
    public double Hysteresis { get; }

    /// <summary>SHA-256 of this board's view.</summary>
    public byte[] OwnDigest { get; }

    /// <summary>SHA-256 of the view the partner must hold (what this board sends it).</summary>
    public byte[] MirroredDigest { get; }

    /// <summary>The terms of every contract of a validated configuration.</summary>
    public static ContractDefinition[] FromConfig(FirmwareConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var terms = new ContractDefinition[config.Contracts.Length];
        for (int i = 0; i < terms.Length; i++)
        {
            terms[i] = From(config.NodeId, config.Contracts[i], config.Jobs);
        }
        return terms;
    }

    /// <summary>The terms of one validated contract of board <paramref name="holder"/> with jobs <paramref name="jobs"/>.</summary>
    public static ContractDefinition From(uint holder, ContractConfig k, JobConfig[] jobs)
    {
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(jobs);
        if (!ContractConfigValidator.TryParseHour(k.ValidFrom, out long from) || !ContractConfigValidator.TryParseHour(k.ValidUntil, out long until))
        {
            throw new ArgumentException("the contract's validity was not validated", nameof(k));
        }
        var contract = new LoadContract((int)k.Partner, k.PriceMin, k.PriceMax, k.MaxUnitsPerHour, k.MigrationCostPerUnit,
            Bits(k.ClassesOut, jobs), Bits(k.ClassesIn, jobs), from, until);
        if (contract.Validate() is string why)
        {
            throw new ArgumentException($"the contract with node {k.Partner} was not validated: {why}", nameof(k));
        }
        string[] namesOut = Sorted(k.ClassesOut);
        string[] namesIn = Sorted(k.ClassesIn);
        return new ContractDefinition(k.Id, holder, k.Partner, contract, namesOut, namesIn, k.HysteresisPerUnit);
    }

    /// <summary>
    /// The terms the protocol's exchange enforces: prices in micros, validity in unix milliseconds (the market clock's hours
    /// as UTC instants), the hourly cap as the most units of one transfer.
    /// </summary>
    public Protocol.Contracts.ContractTerms ExchangeTerms => new(Id, new Protocol.NodeId(Partner),
        (uint)Math.Round(Contract.PriceMin * Protocol.Contracts.ContractLimits.MicrosPerUnitOfMoney),
        (uint)Math.Round(Contract.PriceMax * Protocol.Contracts.ContractLimits.MicrosPerUnitOfMoney),
        (uint)Contract.MaxUnitsPerHour, Contract.ClassesOut, Contract.ClassesIn,
        HourToUnixMs(Contract.ValidFromHour), HourToUnixMs(Contract.ValidToHour));

    /// <summary>Unix milliseconds of an absolute hour index (UTC ticks / ticks per hour).</summary>
    public static long HourToUnixMs(long hour) => (hour * TimeSpan.TicksPerHour - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    /// <summary>True when <paramref name="received"/> (the partner's mirrored digest) equals this board's view.</summary>
    public bool MatchesPartnerDigest(ReadOnlySpan<byte> received) =>
        received.Length == DigestSize && CryptographicOperations.FixedTimeEquals(received, OwnDigest);

    private static string[] Sorted(string[] names)
    {
        string[] sorted = (string[])names.Clone();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    private static ulong Bits(string[] names, JobConfig[] jobs)
    {
        ulong bits = 0;
        foreach (string n in names)
        {
            int i = Array.FindIndex(jobs, j => j.Name == n);
            if (i is < 0 or >= 64)
            {
                throw new ArgumentException($"job class '{n}' was not validated", nameof(names));
            }
            bits |= 1UL << i;
        }
        return bits;
    }

    /// <summary>SHA-256 of the canonical encoding (see the type's summary).</summary>
    public static byte[] Digest(uint id, uint holder, uint partner, in LoadContract c, string[] namesOut, string[] namesIn)
    {
        using var buffer = new MemoryStream();
        Span<byte> field = stackalloc byte[8];
        buffer.Write(Domain);
        BinaryPrimitives.WriteUInt32BigEndian(field, id);
        buffer.Write(field[..4]);
        BinaryPrimitives.WriteUInt32BigEndian(field, holder);
        buffer.Write(field[..4]);
        BinaryPrimitives.WriteUInt32BigEndian(field, partner);
        buffer.Write(field[..4]);
        BinaryPrimitives.WriteDoubleBigEndian(field, c.PriceMin);
        buffer.Write(field);
        BinaryPrimitives.WriteDoubleBigEndian(field, c.PriceMax);
        buffer.Write(field);
        BinaryPrimitives.WriteInt32BigEndian(field, c.MaxUnitsPerHour);
        buffer.Write(field[..4]);
        BinaryPrimitives.WriteDoubleBigEndian(field, c.MigrationCostPerUnit);
        buffer.Write(field);
        BinaryPrimitives.WriteInt64BigEndian(field, c.ValidFromHour);
        buffer.Write(field);
        BinaryPrimitives.WriteInt64BigEndian(field, c.ValidToHour);
        buffer.Write(field);
        WriteNames(buffer, namesOut);
        WriteNames(buffer, namesIn);
        return SHA256.HashData(buffer.ToArray());
    }

    private static void WriteNames(MemoryStream buffer, string[] names)
    {
        Span<byte> field = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(field, checked((ushort)names.Length));
        buffer.Write(field);
        foreach (string n in Sorted(names))
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(n);
            BinaryPrimitives.WriteUInt16BigEndian(field, checked((ushort)utf8.Length));
            buffer.Write(field);
            buffer.Write(utf8);
        }
    }
}
