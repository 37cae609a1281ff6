using System.Diagnostics;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Redfish;
using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// One switched rack PDU over Redfish with the outlets of this rack's servers on it, on its own <see cref="DeviceLoop"/>
/// (never on the control loop). The control loop queues on/off requests per outlet (<see cref="RequestPower"/>) and reads
/// each outlet's last state and power (<see cref="IsOn"/>, <see cref="TryGetReading"/>), lock-free and allocation-free.
/// Every <c>pollMs</c> the agent discovers the outlets (first turn), carries out pending requests and reads every outlet.
/// Before an outlet's first change it journals the state it found (kind <see cref="OutletKind"/>, target
/// <c>address#outlet</c>), restored by <see cref="RedfishOutletRestorer"/> on stop and after a crash. The dwell and hourly
/// cap are enforced on the control loop (<see cref="PowerSwitchGuard"/>), so hal's own guard is opened wide here and a
/// restore is never refused.
/// </summary>
internal sealed class RedfishPduAgent : DeviceLoop
{
    /// <summary>Journal kind of an outlet's power state found at start.</summary>
    public const string OutletKind = "redfish-outlet";

    /// <summary>hal's outlet protection used here: none (the firmware's <see cref="PowerSwitchGuard"/> rules).</summary>
    public static readonly RelayOptions Unguarded = new(MinimumDwell: TimeSpan.Zero, MaxTogglesPerHour: 1000);

    private readonly RedfishPdu _pdu;
    private readonly ActuatorStateJournal _journal;
    private readonly string[] _outletIds;
    private readonly string[] _servers;
    private readonly RedfishOutlet?[] _outlets;
    private readonly int[] _requests; // 0 none, 1 on, 2 off
    private readonly int[] _on; // -1 unknown
    private readonly long[] _wattsBits;
    private readonly long[] _stamps;
    private readonly long _maxReadingAgeTicks;
    private long _switches;
    private bool _discovered;

    /// <summary>The agent of the PDU at <paramref name="endpoint"/> with the outlets <paramref name="outletIds"/> of <paramref name="servers"/>.</summary>
    public RedfishPduAgent(RedfishPdu pdu, RedfishEndpointConfig endpoint, IReadOnlyList<string> outletIds, IReadOnlyList<string> servers, ActuatorStateJournal journal, Logger? log)
        : base($"PDU {endpoint?.Address}", endpoint?.PollMs ?? 2000,
            TimeSpan.FromMilliseconds(((endpoint?.TimeoutMs ?? 0) * ((endpoint?.Retries ?? 0) + 1) * 3) + 1000), log)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(outletIds);
        ArgumentNullException.ThrowIfNull(servers);
        _pdu = pdu ?? throw new ArgumentNullException(nameof(pdu));
        _journal = journal ?? throw new ArgumentNullException(nameof(journal));
        Address = endpoint.Address.TrimEnd('/');
        _outletIds = [.. outletIds];
        _servers = [.. servers];
        _outlets = new RedfishOutlet?[_outletIds.Length];
        _requests = new int[_outletIds.Length];
        _on = new int[_outletIds.Length];
        Array.Fill(_on, -1);
        _wattsBits = new long[_outletIds.Length];
        _stamps = new long[_outletIds.Length];
        double seconds = (3.0 * endpoint.PollMs / 1000.0) + (endpoint.TimeoutMs / 1000.0 * (endpoint.Retries + 1));
        _maxReadingAgeTicks = (long)(seconds * Stopwatch.Frequency);
    }

    /// <summary>The PDU's address (no trailing slash).</summary>
    public string Address { get; }

    /// <summary>The outlets' ids, in slot order.</summary>
    public IReadOnlyList<string> OutletIds => _outletIds;

    /// <summary>Outlet changes carried out.</summary>
    public long Switches => Interlocked.Read(ref _switches);

    /// <summary>The journal target of outlet <paramref name="outletId"/> of the PDU at <paramref name="address"/>.</summary>
    public static string TargetOf(string address, string outletId) => $"{(address ?? throw new ArgumentNullException(nameof(address))).TrimEnd('/')}#{outletId}";

    /// <summary>The state of slot <paramref name="slot"/>'s outlet last read: null before the first answer.</summary>
    public bool? IsOn(int slot) => Volatile.Read(ref _on[slot]) switch { 0 => false, 1 => true, _ => null };

    /// <summary>Queues an on/off request for slot <paramref name="slot"/>; false (refused) while the PDU does not answer.</summary>
    public bool RequestPower(int slot, bool on)
    {
        if (!Reachable)
        {
            return false;
        }
        Volatile.Write(ref _requests[slot], on ? 1 : 2);
        return true;
    }

    /// <summary>Drops a queued request of slot <paramref name="slot"/> not carried out yet.</summary>
    public void CancelPowerRequest(int slot) => Volatile.Write(ref _requests[slot], 0);

    /// <summary>Slot <paramref name="slot"/>'s outlet power in watts when fresh; false when there is none or it is too old.</summary>
    public bool TryGetReading(int slot, out double watts)
    {
        long stamp = Volatile.Read(ref _stamps[slot]);
        watts = BitConverter.Int64BitsToDouble(Volatile.Read(ref _wattsBits[slot]));
        return stamp != 0 && Stopwatch.GetTimestamp() - stamp <= _maxReadingAgeTicks;
    }

    /// <inheritdoc/>
    protected override ValueTask DisposeDeviceAsync() => _pdu.DisposeAsync();

    /// <inheritdoc/>
    protected override async Task TurnAsync(CancellationToken stop)
    {
        if (!_discovered)
        {
            await _pdu.DiscoverAsync(Unguarded, stop).ConfigureAwait(false);
            for (int i = 0; i < _outletIds.Length; i++)
            {
                _outlets[i] = _pdu.Find(_outletIds[i]) ?? throw new Hal.Bmc.BmcException(Hal.Bmc.BmcErrorKind.InvalidArgument,
                    $"PDU {Address} has no outlet '{_outletIds[i]}' (outlet of {_servers[i]})");
            }
            _discovered = true;
        }

        for (int i = 0; i < _outlets.Length; i++)
        {
            RedfishOutlet outlet = _outlets[i]!;
            int request = Interlocked.Exchange(ref _requests[i], 0);
            if (request != 0)
            {
                try
                {
                    await SwitchAsync(i, outlet, request == 1, stop).ConfigureAwait(false);
                }
                catch
                {
                    // Retried on the next turn unless a newer request replaced it meanwhile.
                    Interlocked.CompareExchange(ref _requests[i], request, 0);
                    throw;
                }
            }

            RedfishOutletReading reading = await outlet.ReadAsync(stop).ConfigureAwait(false);
            Volatile.Write(ref _on[i], reading.IsOn ? 1 : 0);
            Volatile.Write(ref _wattsBits[i], BitConverter.DoubleToInt64Bits(reading.Watts));
            Volatile.Write(ref _stamps[i], Stopwatch.GetTimestamp());
        }
    }

    private async Task SwitchAsync(int slot, RedfishOutlet outlet, bool on, CancellationToken stop)
    {
        string target = TargetOf(Address, _outletIds[slot]);
        if (!_journal.IsRecorded(OutletKind, target))
        {
            RedfishOutletReading found = await outlet.ReadAsync(stop).ConfigureAwait(false);
            _journal.RecordOriginal(OutletKind, target, found.IsOn ? "1" : "0");
        }
        long before = outlet.Changes;
        await outlet.SwitchAsync(on, stop).ConfigureAwait(false);
        if (outlet.Changes != before)
        {
            Interlocked.Increment(ref _switches);
            Log?.Notice($"outlet {outlet.Name} of PDU {Address} ({_servers[slot]}) switched {(on ? "on" : "off")}");
        }
    }
}
