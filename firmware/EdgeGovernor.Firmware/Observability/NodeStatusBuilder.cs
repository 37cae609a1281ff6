using System.Globalization;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Observability;

/// <summary>The <c>/status</c> document (<see cref="NodeStatus"/>) of a <see cref="NodeSnapshot"/>.</summary>
internal static class NodeStatusBuilder
{
    /// <summary>The /status document of this node.</summary>
    public static NodeStatus Build(NodeSnapshot s, IReadOnlyDictionary<uint, string> endpoints)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(endpoints);
        lock (s.SyncRoot)
        {
            var members = new List<MemberStatus>();
            var seen = new HashSet<uint>();
            for (int i = 0; i < s.MemberCount; i++)
            {
                seen.Add(s.Members[i]);
                members.Add(new MemberStatus
                {
                    NodeId = s.Members[i],
                    Alive = s.MemberAlive[i],
                    Voter = Array.IndexOf(s.Roster, s.Members[i]) >= 0,
                    Endpoint = s.Members[i] == s.NodeId ? s.LocalEndPoint : endpoints.GetValueOrDefault(s.Members[i], ""),
                });
            }
            foreach (uint r in s.Roster)
            {
                if (seen.Add(r))
                {
                    members.Add(new MemberStatus { NodeId = r, Alive = false, Voter = true, Endpoint = endpoints.GetValueOrDefault(r, "") });
                }
            }
            members.Sort((a, b) => a.NodeId.CompareTo(b.NodeId));
            var c = CultureInfo.InvariantCulture;
            return new NodeStatus
            {
                NodeId = s.NodeId,
                Incarnation = s.Incarnation,
                Role = s.Role,
                Term = s.Term,
                Coordinator = s.Leader,
                UptimeSeconds = Math.Round(s.UptimeSeconds, 3),
                MarketTime = new DateTime(s.MarketTicks).ToString("yyyy-MM-dd HH:mm:ss", c),
                Members = [.. members],
                Market = new MarketIntervalStatus
                {
                    IntervalMinutes = s.IntervalMinutes,
                    IntervalStart = s.IntervalStartTicks < 0 ? "" : new DateTime(s.IntervalStartTicks).ToString("yyyy-MM-ddTHH:mm:ssZ", c),
                    IntervalsDecided = s.IntervalsDecided,
                    IntervalsClosed = s.IntervalsClosed,
                    LastIntervalKwh = Math.Round(s.LastIntervalKwh, 6),
                    LastIntervalEur = Math.Round(s.LastIntervalEur, 6),
                    LastIntervalKgCo2 = Math.Round(s.LastIntervalKgCo2, 6),
                },
                Price = new PriceView
                {
                    Valid = s.PriceFresh,
                    CtPerKwh = s.PriceFresh ? s.Record.CentsPerKWh : 0,
                    IntervalStart = s.PriceFresh ? s.Market.At(s.Record.IntervalStartMs).ToString("yyyy-MM-dd HH:mm", c) : "",
                    IntervalEnd = s.PriceFresh ? s.Market.At(s.Record.IntervalEndMs).ToString("yyyy-MM-dd HH:mm", c) : "",
                    Term = s.Record.Term,
                    Index = s.Record.Index,
                    Applied = s.Applied,
                    UpcomingHours = s.UpcomingHours,
                    SafeReason = s.PriceFresh ? "" : s.Record.Index == 0 ? $"no price received yet; {s.SafePolicyMode}" : $"price expired; {s.SafePolicyMode}",
                },
                Rack = new RackStatus
                {
                    PowerWatts = Math.Round(s.Rack.PowerWatts, 1),
                    CapWatts = Math.Round(s.Rack.CapWatts, 1),
                    BudgetWatts = s.BudgetWatts,
                    MaxTemperatureC = Math.Round(s.Rack.MaxTemperatureC, 2),
                    ServersOn = s.Rack.ServersOn,
                    Servers = s.Servers,
                    EnvelopeActions = s.Rack.EnvelopeActions,
                    Inputs = s.Rack.Inputs is { } inputs ? new InputsStatus
                    {
                        SafePolicyHeld = s.Rack.SafePolicyHeld,
                        Tachometers = [.. inputs.Tachometers.Select(t => new TachometerStatus { Name = t.Name, Rpm = Math.Round(t.Rpm, 1), Edges = t.Edges })],
                        Alarms = [.. inputs.Alarms.Select(a => new AlarmInputStatus { Name = a.Name, Asserted = a.Asserted, Assertions = a.Assertions })],
                    } : null,
                },
                Accounting = new AccountingStatus
                {
                    Kwh = Math.Round(s.Rack.Kwh, 4),
                    Eur = Math.Round(s.Rack.Eur, 4),
                    KgCo2 = Math.Round(s.Rack.KgCo2, 4),
                    CarbonKgPerKwh = Math.Round(s.CarbonKgPerKwh, 4),
                    WorkValueEur = Math.Round(s.Rack.WorkValueEur, 4),
                    OffServerHours = Math.Round(s.Rack.OffServerHours, 3),
                    PowerCycles = s.Rack.PowerOffs + s.Rack.PowerOns,
                    DeferredUnitsDone = Math.Round(s.Rack.DeferredUnitsDone, 4),
                    DeferredUnitsReleased = Math.Round(s.Rack.DeferredUnitsReleased, 4),
                    DeadlinesMet = s.Rack.DeadlinesMet,
                    DeadlinesMissed = s.Rack.DeadlinesMissed,
                    PeakPriceCt = double.IsNaN(s.Rack.PeakPriceCt) ? 0 : Math.Round(s.Rack.PeakPriceCt, 3),
                    InteractiveCapAtPeakWatts = Math.Round(s.Rack.InteractiveCapAtPeakWatts, 1),
                    CheapestPriceCt = double.IsNaN(s.Rack.CheapestPriceCt) ? 0 : Math.Round(s.Rack.CheapestPriceCt, 3),
                    InteractiveCapAtCheapestWatts = Math.Round(s.Rack.InteractiveCapAtCheapestWatts, 1),
                },
                Contracts = ContractMetrics.Status(s.Contracts),
                ContractJournal = ContractMetrics.JournalStatus(s.ContractJournal),
                Counters = new Dictionary<string, long>
                {
                    ["datagramsSent"] = s.DatagramsSent,
                    ["datagramsReceived"] = s.DatagramsReceived,
                    ["datagramsAccepted"] = s.Accepted,
                    ["dropped"] = s.DroppedTotal,
                    ["droppedBadTag"] = s.Drops[(int)DropReason.BadTag],
                    ["droppedReplayed"] = s.Drops[(int)DropReason.Replayed],
                    ["nacksSent"] = s.Nacks,
                    ["repairsSent"] = s.Repairs,
                    ["leaderChanges"] = s.LeaderChanges,
                    ["pricesPublished"] = s.Published,
                    ["priceLogLastIndex"] = (long)s.LogLast,
                    ["priceLogCommitIndex"] = (long)s.LogCommit,
                    ["feedRejected"] = s.Feed.RejectedTotal,
                    ["receiveQueueDrops"] = s.QueueDrops,
                },
            };
        }
    }
}
