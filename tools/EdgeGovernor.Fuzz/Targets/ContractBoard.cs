using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// The board end of the <c>contract-journal</c> and <c>contract-digest</c> targets: a <see cref="ContractHost"/> composed as
/// <see cref="NodeHost"/> composes it (configuration with one contract, a <see cref="ProtocolNode"/>, simulated rack,
/// <see cref="ContractRackWork"/>, market clock, logger), with a sink that drops every datagram instead of a network,
/// at fixed times. Board 1 holds contract 1 with board 2 (job class <c>batch</c> both ways), board 2 its mirror; the
/// signing keys are <see cref="FuzzSigning"/>'s.
/// </summary>
internal static class ContractBoard
{
    /// <summary>The contract's id.</summary>
    public const uint ContractId = 1;

    /// <summary>Wall time of the host's start (Unix ms; 2026-01-10 00:00 UTC).</summary>
    public const long UnixMs = 1_768_003_200_000;

    /// <summary>Monotonic time of the host's start.</summary>
    public const long NowUs = 5_000_000;

    private static readonly double[] Prices = [.. Enumerable.Range(0, ContractRackWork.HorizonHours).Select(h => 0.08 + (0.01 * (h % 7)))];

    /// <summary>The validated configuration of board <paramref name="node"/> (1 or 2), whose partner is the other.</summary>
    public static FirmwareConfig Config(uint node) => new()
    {
        NodeId = node,
        ClusterId = FuzzKeys.ClusterId,
        Roster = [1, 2],
        Rack = new RackConfig
        {
            BudgetWatts = 2_000,
            Servers = [new ServerConfig { Name = "batch", Count = 2, MinCapWatts = 100, MaxCapWatts = 400, Job = "batch" }],
        },
        Jobs = [new JobConfig { Name = "batch", Deferrable = true, WorkHoursPerDay = 4, DeadlineHours = 12 }],
        Contracts =
        [
            new ContractConfig
            {
                Id = ContractId,
                Partner = 3 - node,
                PriceMin = 0.02,
                PriceMax = 0.2,
                ClassesOut = ["batch"],
                ClassesIn = ["batch"],
                MaxUnitsPerHour = 8,
                ValidFrom = "2000-01-01T00:00:00Z",
                ValidUntil = "2100-01-01T00:00:00Z",
            },
        ],
    };

    /// <summary>The options of board <paramref name="node"/>'s exchange, as <see cref="ContractHost"/> sets them.</summary>
    public static ContractExchangeOptions ExchangeOptions(uint node) =>
        new() { Self = new NodeId(node), ClusterId = FuzzKeys.ClusterId, Channel = ContractHost.ExchangeChannel };

    /// <summary>Starts board 1's contract host on <paramref name="journal"/> at <see cref="UnixMs"/>, as the firmware
    /// starts it (the exchange rebuilt from the journal's records).</summary>
    /// <exception cref="InvalidDataException">The journal holds a step the exchange cannot take.</exception>
    public static ContractHost Start(IContractJournal journal)
    {
        FirmwareConfig config = Config(1);
        var log = new Logger("fuzz", LogLevel.Error, TextWriter.Null);
        var node = new ProtocolNode(FuzzKeys.Options(1), DropSink.Instance, DropSink.Instance, new SplitMix64Random(1), NowUs);
        var rack = new RackController(config, config.NodeId, log);
        var market = new MarketClock(DateTime.UnixEpoch.AddMilliseconds(UnixMs), UnixMs, 1, () => UnixMs);
        return new ContractHost(config, ContractDefinition.FromConfig(config), node, FuzzSigning.Signer(1), FuzzSigning.Roster, _ => journal,
            new ContractRackWork(rack, config.Jobs), market, log, NowUs, UnixMs, digestGraceUs: 1_000_000);
    }

    /// <summary>One contract turn of <paramref name="host"/> <paramref name="seconds"/> after the start (the first applies
    /// the journal's transfers to the rack), offering from the rack's plan when <paramref name="decide"/>.</summary>
    public static void Step(ContractHost host, int seconds, bool decide) =>
        host.Step(NowUs + (seconds * 1_000_000L), UnixMs + (seconds * 1_000L), Prices, decide);

    /// <summary>Drops what the node sends and delivers (no network).</summary>
    private sealed class DropSink : IDatagramSink, IDeliveryHandler
    {
        public static readonly DropSink Instance = new();

        public void Send(Destination destination, ReadOnlySpan<byte> datagram)
        {
        }

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }
    }
}
