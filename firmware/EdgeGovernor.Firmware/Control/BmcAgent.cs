using System.Diagnostics;
using System.Globalization;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.State;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// One server's BMC (hal's IPMI/DCMI client or its Redfish client, both <see cref="IBmc"/>), driven on its own
/// <see cref="DeviceLoop"/> so that round trips (network I/O with timeouts and retries) never block the control loop. The control loop only exchanges plain numbers with it: it
/// writes the latest desired cap and power request (<see cref="SetDesiredCap"/>, <see cref="RequestPower"/>)
/// and reads the latest power reading (<see cref="TryGetReading"/>); all of these are lock-free and
/// allocation-free. Every <c>pollMs</c> the agent carries out a pending chassis request, reads the
/// chassis status (Redfish: the system's <c>PowerState</c>), applies the desired cap as a power limit when it changed
/// by a watt or more (DCMI Set Power Limit then Activate; Redfish the Control's <c>SetPoint</c> or the legacy
/// <c>LimitInWatts</c>), and reads the power.
/// <para>
/// Before its first limit the agent journals the limit it found (kind <c>dcmi</c>: <c>none</c> or the
/// active limit), before its first chassis command the power state it found (kind <c>chassis</c>); both
/// go back through <see cref="BmcRestorer"/> on stop and after a crash. A BMC that stops answering is
/// counted on every failed turn, logged once (and once when it answers again), and its server keeps
/// whatever the BMC last accepted: nothing else can be done from here.
/// </para>
/// </summary>
internal sealed class BmcAgent : DeviceLoop
{
    /// <summary>Journal kind of a power limit found at start (DCMI or Redfish, told apart by the target).</summary>
    public const string LimitKind = "dcmi";

    /// <summary>Journal kind of a chassis power state found at start.</summary>
    public const string ChassisKind = "chassis";

    private readonly IBmc _bmc;
    private readonly BmcLoopSettings _settings;
    private readonly ActuatorStateJournal _journal;
    private readonly long _maxReadingAgeTicks;
    private long _desiredCapBits = BitConverter.DoubleToInt64Bits(double.NaN);
    private int _powerRequest; // 0 none, 1 on, 2 off
    private long _readingBits;
    private long _readingStamp;
    private int _chassisOn = -1; // -1 unknown
    private long _limitWrites, _chassisCommands;
    private ushort _appliedLimit;
    private string? _lastRefusal;
    private int _appliedLimitPublished;

    /// <summary>Creates the agent of an IPMI BMC; nothing is sent before <see cref="DeviceLoop.Start"/>.</summary>
    public BmcAgent(string server, IBmc bmc, BmcConfig config, ActuatorStateJournal journal, Logger? log)
        : this(server, bmc, BmcLoopSettings.Of(config), journal, log)
    {
    }

    /// <summary>Creates the agent for <paramref name="bmc"/> (IPMI or Redfish); nothing is sent before <see cref="DeviceLoop.Start"/>.</summary>
    public BmcAgent(string server, IBmc bmc, BmcLoopSettings settings, ActuatorStateJournal journal, Logger? log)
        : base($"BMC {settings?.Target} of {server}", settings?.PollMs ?? 1000,
            TimeSpan.FromMilliseconds(((settings?.TimeoutMs ?? 0) * ((settings?.Retries ?? 0) + 1) * 3) + 1000), log)
    {
        Server = server;
        _bmc = bmc ?? throw new ArgumentNullException(nameof(bmc));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _journal = journal ?? throw new ArgumentNullException(nameof(journal));
        Target = settings.Target;
        // A reading is fresh for three polls plus one command's worst case (every attempt timing out).
        double seconds = (3.0 * settings.PollMs / 1000.0) + (settings.TimeoutMs / 1000.0 * (settings.Retries + 1));
        _maxReadingAgeTicks = (long)(seconds * Stopwatch.Frequency);
    }

    /// <summary>The server's name, for logs.</summary>
    public string Server { get; }

    /// <summary>The journal target of this BMC: <c>host:port</c> (IPMI) or the service address (Redfish).</summary>
    public string Target { get; }

    /// <summary>The BMC's client.</summary>
    public IBmc Bmc => _bmc;

    /// <summary>The loop's settings.</summary>
    public BmcLoopSettings Settings => _settings;

    /// <summary>Power limits set and activated.</summary>
    public long LimitWrites => Interlocked.Read(ref _limitWrites);

    /// <summary>Chassis control commands sent.</summary>
    public long ChassisCommands => Interlocked.Read(ref _chassisCommands);

    /// <summary>The chassis power state last read: null before the first answer.</summary>
    public bool? ChassisOn => Volatile.Read(ref _chassisOn) switch { 0 => false, 1 => true, _ => null };

    /// <summary>The limit last applied, watts (0: none yet).</summary>
    public int AppliedLimitWatts => Volatile.Read(ref _appliedLimitPublished);

    /// <summary>The journal target of a BMC configuration.</summary>
    public static string TargetOf(BmcConfig config) => BmcLoopSettings.Of(config).Target;

    /// <summary>The cap the control loop wants, watts (applied on the agent's next turn).</summary>
    public void SetDesiredCap(double watts) => Interlocked.Exchange(ref _desiredCapBits, BitConverter.DoubleToInt64Bits(watts));

    /// <summary>Queues a chassis power request; false (refused) while the BMC does not answer.</summary>
    public bool RequestPower(bool on)
    {
        if (!Reachable)
        {
            return false;
        }
        Volatile.Write(ref _powerRequest, on ? 1 : 2);
        return true;
    }

    /// <summary>Drops a queued chassis request that has not been carried out yet.</summary>
    public void CancelPowerRequest() => Volatile.Write(ref _powerRequest, 0);

    /// <summary>The latest power reading in watts when it is fresh; false when there is none or it is too old.</summary>
    public bool TryGetReading(out double watts)
    {
        long stamp = Volatile.Read(ref _readingStamp);
        watts = BitConverter.Int64BitsToDouble(Volatile.Read(ref _readingBits));
        return stamp != 0 && Stopwatch.GetTimestamp() - stamp <= _maxReadingAgeTicks;
    }

    /// <inheritdoc/>
    protected override ValueTask DisposeDeviceAsync() => _bmc.DisposeAsync();

    /// <inheritdoc/>
    protected override async Task TurnAsync(CancellationToken stop)
    {
        int request = Interlocked.Exchange(ref _powerRequest, 0);
        if (request != 0)
        {
            try
            {
                await ChassisAsync(request == 1, stop).ConfigureAwait(false);
            }
            catch
            {
                // Retried on the next turn unless a newer request replaced it meanwhile.
                Interlocked.CompareExchange(ref _powerRequest, request, 0);
                throw;
            }
        }

        ChassisStatus status = await _bmc.GetChassisStatusAsync(stop).ConfigureAwait(false);
        Volatile.Write(ref _chassisOn, status.PowerOn ? 1 : 0);
        if (!status.PowerOn)
        {
            Publish(0);
            return;
        }

        double desired = BitConverter.Int64BitsToDouble(Interlocked.Read(ref _desiredCapBits));
        if (_settings.PowerLimit && double.IsFinite(desired) && desired >= 1)
        {
            ushort watts = (ushort)Math.Min(ushort.MaxValue, Math.Round(desired));
            if (watts != _appliedLimit)
            {
                if (!_journal.IsRecorded(LimitKind, Target))
                {
                    PowerLimit? found = await _bmc.GetPowerLimitAsync(stop).ConfigureAwait(false);
                    _journal.RecordOriginal(LimitKind, Target, FormatLimit(found));
                }
                try
                {
                    await _bmc.SetPowerLimitAsync(new PowerLimit(watts, (uint)_settings.CorrectionTimeMs, (ushort)_settings.SamplingPeriodSeconds, _settings.ExceptionAction), stop).ConfigureAwait(false);
                    await _bmc.ActivatePowerLimitAsync(true, stop).ConfigureAwait(false);
                    Interlocked.Increment(ref _limitWrites);
                    Volatile.Write(ref _appliedLimitPublished, watts);
                }
                catch (BmcException e) when (e.Kind == BmcErrorKind.CompletionCode)
                {
                    // The BMC answered but refused (e.g. 0x84, limit out of its range): counted and logged, not sent
                    // again until the cap moves; the BMC keeps its previous limit and stays reachable.
                    CountError();
                    if (!string.Equals(e.Message, _lastRefusal, StringComparison.Ordinal))
                    {
                        _lastRefusal = e.Message;
                        Log?.Warning($"BMC {Target} of {Server} refused a {watts} W power limit: {e.Message} (counted)");
                    }
                }
                _appliedLimit = watts;
            }
        }

        PowerReading reading = await _bmc.GetPowerReadingAsync(stop).ConfigureAwait(false);
        Publish(reading.CurrentWatts);
    }

    private async Task ChassisAsync(bool on, CancellationToken stop)
    {
        if (!_journal.IsRecorded(ChassisKind, Target))
        {
            ChassisStatus found = await _bmc.GetChassisStatusAsync(stop).ConfigureAwait(false);
            _journal.RecordOriginal(ChassisKind, Target, found.PowerOn ? "1" : "0");
        }
        await _bmc.ChassisControlAsync(on ? ChassisControl.PowerOn : _settings.OffAction, stop).ConfigureAwait(false);
        Interlocked.Increment(ref _chassisCommands);
        // A powered-off server has no limit in force on some BMCs: program it again after power-on.
        _appliedLimit = 0;
        Log?.Notice($"BMC {Target}: {Server} powered {(on ? "on" : "off")}");
    }

    private void Publish(double watts)
    {
        Volatile.Write(ref _readingBits, BitConverter.DoubleToInt64Bits(watts));
        Volatile.Write(ref _readingStamp, Stopwatch.GetTimestamp());
    }

    /// <summary>The chassis action that powers the server off.</summary>
    public static ChassisControl OffAction(BmcConfig config) => BmcLoopSettings.OffActionOf((config ?? throw new ArgumentNullException(nameof(config))).PowerOff);

    /// <summary>Journal text of a limit found: <c>none</c>, or watts, correction ms, sampling s and action byte.</summary>
    public static string FormatLimit(PowerLimit? limit) => limit is { } l
        ? string.Create(CultureInfo.InvariantCulture, $"{l.LimitWatts} {l.CorrectionTimeMs} {l.SamplingPeriodSeconds} {(byte)l.ExceptionAction}")
        : "none";

    /// <summary>Parses <see cref="FormatLimit"/>'s text; false for anything else.</summary>
    public static bool TryParseLimit(string text, out PowerLimit? limit)
    {
        limit = null;
        if (text == "none")
        {
            return true;
        }
        string[] parts = text.Split(' ');
        if (parts.Length == 4
            && ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ushort watts)
            && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint correction)
            && ushort.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out ushort sampling)
            && byte.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out byte action)
            && PowerLimitExceptionActions.IsDefined((PowerLimitExceptionAction)action))
        {
            limit = new PowerLimit(watts, correction, sampling, (PowerLimitExceptionAction)action);
            return true;
        }
        return false;
    }
}
