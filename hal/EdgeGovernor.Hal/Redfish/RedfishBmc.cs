using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Redfish.Dto;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>
/// <see cref="IBmc"/> over Redfish. Resources are discovered from the service root on first use
/// (<see cref="RedfishDiscovery"/>). Chassis status is the system's <c>PowerState</c>; chassis control is
/// <c>ComputerSystem.Reset</c> with a reset type the service lists (<see cref="RedfishResetTypes"/>), not sent when the
/// system is already where asked, and, when the outcome is unknown (no reply, 5xx), sent again only after the power state
/// was read back and shows it did not happen (power cycle and hard reset are never sent again). The DCMI limit maps onto a
/// <c>Control</c> of type Power (set = <c>SetPoint</c> within <c>AllowableMin</c>/<c>AllowableMax</c>, activate =
/// <c>ControlMode</c> <c>Automatic</c>/<c>Disabled</c>) or onto the legacy <c>PowerLimit</c> (activate writes
/// <c>LimitInWatts</c>, <c>LimitException</c>, <c>CorrectionInMs</c>; deactivate writes null). PATCHes carry
/// <c>If-Match</c> with the ETag just read; 412 means re-read and try again (three times at most). The reading comes from
/// <c>EnvironmentMetrics</c>, the power supplies' metrics or the legacy <c>PowerConsumedWatts</c>, parsed without
/// allocating. One operation at a time; every failure is a <see cref="BmcException"/>.
/// </summary>
public sealed class RedfishBmc : IBmc
{
    private static readonly string[] PowerStates = ["On", "Off", "PoweringOn", "PoweringOff", "Paused"];
    private const double MaxWatts = 1_000_000;

    private readonly RedfishClient _client;
    private readonly RedfishBmcOptions _options;
    private RedfishServerResources? _resources;
    private RedfishReadingSource _source;
    private PowerLimit? _pendingLegacy;
    private long _actions, _patches, _staleETags;

    /// <summary>Creates the BMC client; nothing is sent before the first call.</summary>
    public RedfishBmc(RedfishBmcOptions options, TimeProvider? time = null)
        : this(options, new RedfishClient((options ?? throw new ArgumentNullException(nameof(options))).Client, time))
    {
    }

    /// <summary>Creates the BMC client over <paramref name="client"/> (made for <see cref="RedfishBmcOptions.Client"/>).</summary>
    internal RedfishBmc(RedfishBmcOptions options, RedfishClient client)
    {
        _options = options;
        _client = client;
        _source = options.ReadingSource;
    }

    /// <summary>The HTTP client (counters, session).</summary>
    public RedfishClient Client => _client;

    /// <summary>Reset actions the service accepted.</summary>
    public long Actions => Interlocked.Read(ref _actions);

    /// <summary>PATCHes the service accepted.</summary>
    public long Patches => Interlocked.Read(ref _patches);

    /// <summary>PATCHes refused with 412 (stale ETag) and done again after re-reading.</summary>
    public long StaleETags => Interlocked.Read(ref _staleETags);

    /// <summary>The reading source in use (resolved from <see cref="RedfishReadingSource.Auto"/> by the first reading).</summary>
    public RedfishReadingSource ReadingSource => _source;

    /// <summary>Discovers the server's resources (done once; later calls return the same).</summary>
    public async ValueTask<RedfishServerResources> DiscoverAsync(CancellationToken cancellationToken = default)
    {
        using RedfishLease lease = await _client.LockAsync(cancellationToken).ConfigureAwait(false);
        return await ResourcesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The system's power state.</summary>
    public async ValueTask<RedfishPowerState> GetPowerStateAsync(CancellationToken cancellationToken = default)
    {
        using RedfishLease lease = await _client.LockAsync(cancellationToken).ConfigureAwait(false);
        RedfishServerResources resources = await ResourcesAsync(cancellationToken).ConfigureAwait(false);
        return await ReadPowerStateAsync(resources.System, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ChassisStatus> GetChassisStatusAsync(CancellationToken cancellationToken = default)
    {
        RedfishPowerState state = await GetPowerStateAsync(cancellationToken).ConfigureAwait(false);
        return new ChassisStatus(PowerOn: state != RedfishPowerState.Off, PowerOverload: false, PowerFault: false, PowerControlFault: false);
    }

    /// <inheritdoc/>
    public async ValueTask ChassisControlAsync(ChassisControl action, CancellationToken cancellationToken = default)
    {
        using RedfishLease lease = await _client.LockAsync(cancellationToken).ConfigureAwait(false);
        RedfishServerResources resources = await ResourcesAsync(cancellationToken).ConfigureAwait(false);
        Uri target = resources.ResetTarget ?? throw new BmcException(BmcErrorKind.InvalidArgument, "Redfish system offers no ComputerSystem.Reset action");
        string type = RedfishResetTypes.Choose(action, resources.ResetTypes);
        RedfishPowerState state = await ReadPowerStateAsync(resources.System, cancellationToken).ConfigureAwait(false);
        if (Reached(action, state))
        {
            return;
        }

        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new ResetRequest { ResetType = type }, RedfishJsonContext.Default.ResetRequest);
        for (int sent = 1; ; sent++)
        {
            string outcome;
            try
            {
                RedfishResponse response = await _client.PostActionAsync(target, body, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccess)
                {
                    Interlocked.Increment(ref _actions);
                    return;
                }

                if ((int)response.Status < 500)
                {
                    throw RedfishFailure.Status($"ComputerSystem.Reset {type}", response);
                }

                outcome = $"HTTP {(int)response.Status}";
                await WaitRetryAfterAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (BmcException e) when (e.Kind == BmcErrorKind.Timeout)
            {
                outcome = e.Message;
            }

            // Outcome unknown: read the state back before anything is sent again.
            state = await ReadPowerStateAsync(resources.System, cancellationToken).ConfigureAwait(false);
            if (Reached(action, state))
            {
                Interlocked.Increment(ref _actions);
                return;
            }

            if (sent >= 2 || action is ChassisControl.PowerCycle or ChassisControl.HardReset)
            {
                throw new BmcException(BmcErrorKind.Timeout,
                    $"Redfish ComputerSystem.Reset {type}: outcome unknown ({outcome}); power state read back is {state}; not sent again");
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<PowerReading> GetPowerReadingAsync(CancellationToken cancellationToken = default)
    {
        using RedfishLease lease = await _client.LockAsync(cancellationToken).ConfigureAwait(false);
        RedfishServerResources resources = await ResourcesAsync(cancellationToken).ConfigureAwait(false);
        return await ReadPowerAsync(resources, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<PowerLimit?> GetPowerLimitAsync(CancellationToken cancellationToken = default)
    {
        using RedfishLease lease = await _client.LockAsync(cancellationToken).ConfigureAwait(false);
        RedfishServerResources resources = await ResourcesAsync(cancellationToken).ConfigureAwait(false);
        (Uri uri, bool control) = LimitResource(resources);
        RedfishResponse response = await _client.GetAsync(uri, wantETag: false, cancellationToken).ConfigureAwait(false);
        if (control)
        {
            ControlDto dto = RedfishClient.Decode(response, "power limit control", RedfishJsonContext.Default.ControlDto);
            return dto.ControlMode == "Disabled" || dto.SetPoint is not { } setPoint
                ? null
                : new PowerLimit(ToWatts(setPoint, "SetPoint"), 0, 0, PowerLimitExceptionAction.NoAction);
        }

        PowerLimitDto? limit = LegacyControl(RedfishClient.Decode(response, "Power", RedfishJsonContext.Default.PowerDto)).PowerLimit;
        return limit?.LimitInWatts is not { } watts
            ? null
            : new PowerLimit(ToWatts(watts, "LimitInWatts"), (uint)Math.Clamp(limit.CorrectionInMs ?? 0, 0, uint.MaxValue), 0, limit.LimitException switch
            {
                "HardPowerOff" => PowerLimitExceptionAction.HardPowerOffAndLogEvent,
                "LogEventOnly" => PowerLimitExceptionAction.LogEventOnly,
                _ => PowerLimitExceptionAction.NoAction,
            });
    }

    /// <inheritdoc/>
    public ValueTask SetPowerLimitAsync(PowerLimit limit, CancellationToken cancellationToken = default)
    {
        if (limit.LimitWatts == 0)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, "a power limit of 0 W is refused (deactivate the limit instead)");
        }

        // Legacy: a limit is active while LimitInWatts is set; a set limit is written now only when one is active (as DCMI).
        _pendingLegacy = limit;
        return PatchLimitAsync(
            control =>
            {
                if (limit.LimitWatts < (control.AllowableMin ?? 1) || limit.LimitWatts > (control.AllowableMax ?? ushort.MaxValue))
                {
                    throw new BmcException(BmcErrorKind.CompletionCode,
                        $"Redfish power limit {limit.LimitWatts} W refused: the control allows {control.AllowableMin ?? 1}..{control.AllowableMax ?? ushort.MaxValue} W");
                }

                return control.SetPoint == limit.LimitWatts ? null : new ControlPatch { SetPoint = limit.LimitWatts };
            },
            now => now?.LimitInWatts is null ? null : LegacyPatch(limit),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask ActivatePowerLimitAsync(bool activate, CancellationToken cancellationToken = default)
    {
        PowerLimit? pending = _pendingLegacy;
        return PatchLimitAsync(
            control => (control.ControlMode is not null and not "Disabled") == activate
                ? null
                : new ControlPatch { ControlMode = activate ? "Automatic" : "Disabled" },
            now =>
            {
                if (!activate)
                {
                    return now?.LimitInWatts is null ? null : LegacyPatch(null);
                }

                PowerLimit l = pending ?? throw new BmcException(BmcErrorKind.CompletionCode, "Redfish power limit: no limit was set before activation");
                return now?.LimitInWatts == l.LimitWatts && now.CorrectionInMs == l.CorrectionTimeMs && now.LimitException == LimitException(l.ExceptionAction)
                    ? null
                    : LegacyPatch(l);
            },
            cancellationToken);
    }

    /// <summary>Logs out and closes the connections.</summary>
    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private async ValueTask<RedfishServerResources> ResourcesAsync(CancellationToken cancellationToken) =>
        _resources ??= await RedfishDiscovery.DiscoverServerAsync(_client, _options.SystemId, cancellationToken).ConfigureAwait(false);

    private static bool Reached(ChassisControl action, RedfishPowerState state) => action switch
    {
        ChassisControl.PowerOn => state is RedfishPowerState.On or RedfishPowerState.PoweringOn,
        ChassisControl.PowerOff or ChassisControl.SoftOff => state is RedfishPowerState.Off or RedfishPowerState.PoweringOff,
        _ => false,
    };

    private async ValueTask WaitRetryAfterAsync(CancellationToken cancellationToken)
    {
        if (_client.RetryAfter is { } wait && wait <= _client.Options.MaxRetryAfter)
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RedfishPowerState> ReadPowerStateAsync(Uri system, CancellationToken cancellationToken)
    {
        RedfishResponse response = await _client.GetAsync(system, wantETag: false, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw RedfishFailure.Status("system", response);
        }

        int index = RedfishJsonScanner.ReadChoice(response.Body.Span, "PowerState"u8, PowerStates, "system");
        return index >= 0 ? (RedfishPowerState)index : throw RedfishFailure.Malformed("system " + system.AbsolutePath, "PowerState missing or not a Redfish power state");
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PowerReading> ReadPowerAsync(RedfishServerResources resources, CancellationToken cancellationToken)
    {
        if (_source is RedfishReadingSource.Auto or RedfishReadingSource.EnvironmentMetrics && resources.EnvironmentMetrics is { } environment)
        {
            RedfishResponse response = await Get(environment, "EnvironmentMetrics", cancellationToken).ConfigureAwait(false);
            if (RedfishJsonScanner.TryReadNumber(response.Body.Span, "PowerWatts.Reading"u8, 0, MaxWatts, "EnvironmentMetrics", out double watts))
            {
                _source = RedfishReadingSource.EnvironmentMetrics;
                return Flat(watts);
            }
        }

        if (_source is RedfishReadingSource.Auto or RedfishReadingSource.PowerSubsystem && resources.PowerSupplyMetrics.Count > 0)
        {
            double sum = 0;
            bool any = false;
            for (int i = 0; i < resources.PowerSupplyMetrics.Count; i++)
            {
                RedfishResponse response = await Get(resources.PowerSupplyMetrics[i], "PowerSupplyMetrics", cancellationToken).ConfigureAwait(false);
                if (RedfishJsonScanner.TryReadNumber(response.Body.Span, "InputPowerWatts.Reading"u8, 0, MaxWatts, "PowerSupplyMetrics", out double watts))
                {
                    sum += watts;
                    any = true;
                }
            }

            if (any)
            {
                _source = RedfishReadingSource.PowerSubsystem;
                return Flat(sum);
            }
        }

        if (_source is RedfishReadingSource.Auto or RedfishReadingSource.LegacyPower && resources.LegacyPower is { } power)
        {
            RedfishResponse response = await Get(power, "Power", cancellationToken).ConfigureAwait(false);
            ReadOnlySpan<byte> body = response.Body.Span;
            if (RedfishJsonScanner.TryReadNumber(body, "PowerControl.0.PowerConsumedWatts"u8, 0, MaxWatts, "Power", out double watts))
            {
                _source = RedfishReadingSource.LegacyPower;
                bool stats = RedfishJsonScanner.TryReadNumber(body, "PowerControl.0.PowerMetrics.MinConsumedWatts"u8, 0, MaxWatts, "Power", out double min)
                    & RedfishJsonScanner.TryReadNumber(body, "PowerControl.0.PowerMetrics.MaxConsumedWatts"u8, 0, MaxWatts, "Power", out double max)
                    & RedfishJsonScanner.TryReadNumber(body, "PowerControl.0.PowerMetrics.AverageConsumedWatts"u8, 0, MaxWatts, "Power", out double average);
                RedfishJsonScanner.TryReadNumber(body, "PowerControl.0.PowerMetrics.IntervalInMin"u8, 0, 71_582, "Power", out double minutes);
                return stats
                    ? new PowerReading(Clamp(watts), Clamp(min), Clamp(max), Clamp(average), (uint)(minutes * 60_000), true)
                    : Flat(watts);
            }
        }

        throw new BmcException(BmcErrorKind.MalformedReply, $"Redfish service offers no power reading ({_source}: none of EnvironmentMetrics.PowerWatts, power supply InputPowerWatts, Power.PowerControl[0].PowerConsumedWatts)");
    }

    private async ValueTask<RedfishResponse> Get(Uri uri, string what, CancellationToken cancellationToken)
    {
        RedfishResponse response = await _client.GetAsync(uri, wantETag: false, cancellationToken).ConfigureAwait(false);
        return response.IsSuccess ? response : throw RedfishFailure.Status(what, response);
    }

    private (Uri Uri, bool Control) LimitResource(RedfishServerResources resources) => _options.LimitPath switch
    {
        RedfishLimitPath.Control or RedfishLimitPath.Auto when resources.PowerLimitControl is { } control => (control, true),
        RedfishLimitPath.LegacyPower or RedfishLimitPath.Auto when resources.LegacyPower is { } power => (power, false),
        _ => throw new BmcException(BmcErrorKind.InvalidArgument, $"Redfish service offers no power limit ({_options.LimitPath}: no Control of type Power, no legacy Power resource)"),
    };

    /// <summary>PATCHes the power limit where the service keeps it: <paramref name="control"/> or <paramref name="legacy"/> looks at
    /// the resource just read and returns the change, or null when there is nothing to change.</summary>
    private async ValueTask PatchLimitAsync(Func<ControlDto, ControlPatch?> control, Func<PowerLimitDto?, PowerPatch?> legacy, CancellationToken cancellationToken)
    {
        using RedfishLease lease = await _client.LockAsync(cancellationToken).ConfigureAwait(false);
        RedfishServerResources resources = await ResourcesAsync(cancellationToken).ConfigureAwait(false);
        (Uri uri, bool isControl) = LimitResource(resources);
        if (isControl)
        {
            await PatchAsync(uri, "power limit control", response =>
            {
                ControlDto dto = RedfishClient.Decode(response, "power limit control", RedfishJsonContext.Default.ControlDto);
                return control(dto) is { } patch ? (JsonSerializer.SerializeToUtf8Bytes(patch, RedfishJsonContext.Default.ControlPatch), dto.ETag) : (null, null);
            }, cancellationToken).ConfigureAwait(false);
            return;
        }

        await PatchAsync(uri, "Power", response =>
        {
            PowerDto dto = RedfishClient.Decode(response, "Power", RedfishJsonContext.Default.PowerDto);
            return legacy(LegacyControl(dto).PowerLimit) is { } patch ? (JsonSerializer.SerializeToUtf8Bytes(patch, RedfishJsonContext.Default.PowerPatch), dto.ETag) : (null, null);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET with the ETag, let <paramref name="decide"/> build the PATCH (null body: nothing to change), PATCH with If-Match;
    /// on 412 read again, three times at most. <paramref name="decide"/> must decode before returning (the body buffer is reused).</summary>
    private async ValueTask PatchAsync(Uri uri, string what, Func<RedfishResponse, (byte[]? Body, string? BodyETag)> decide, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            RedfishResponse current = await _client.GetAsync(uri, wantETag: true, cancellationToken).ConfigureAwait(false);
            (byte[]? body, string? bodyETag) = decide(current);
            if (body is null)
            {
                return;
            }

            RedfishResponse response = await _client.PatchAsync(uri, body, current.ETag ?? bodyETag, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                Interlocked.Increment(ref _patches);
                return;
            }

            if (response.Status != HttpStatusCode.PreconditionFailed)
            {
                throw RedfishFailure.Status("PATCH " + what, response);
            }

            Interlocked.Increment(ref _staleETags);
        }

        throw new BmcException(BmcErrorKind.CompletionCode, $"Redfish PATCH {what}: refused with 412 three times (the resource keeps changing)");
    }

    private static PowerControlDto LegacyControl(PowerDto dto) =>
        dto.PowerControl is [{ } first, ..] ? first : throw RedfishFailure.Malformed("Power", "no PowerControl entry");

    private static PowerPatch LegacyPatch(PowerLimit? limit) =>
        new()
        {
            PowerControl =
            [
                new PowerControlPatch
                {
                    PowerLimit = limit is { } l
                        ? new PowerLimitPatch { LimitInWatts = l.LimitWatts, LimitException = LimitException(l.ExceptionAction), CorrectionInMs = l.CorrectionTimeMs }
                        : new PowerLimitPatch { LimitInWatts = null },
                },
            ],
        };

    private static string LimitException(PowerLimitExceptionAction action) => action switch
    {
        PowerLimitExceptionAction.HardPowerOffAndLogEvent => "HardPowerOff",
        PowerLimitExceptionAction.LogEventOnly => "LogEventOnly",
        _ => "NoAction",
    };

    private static ushort ToWatts(double watts, string what) =>
        double.IsFinite(watts) && watts is >= 0 and <= ushort.MaxValue ? (ushort)Math.Round(watts) : throw RedfishFailure.Malformed(what, $"{watts} W is out of range");

    private static ushort Clamp(double watts) => (ushort)Math.Min(ushort.MaxValue, Math.Round(watts));

    private static PowerReading Flat(double watts)
    {
        ushort w = Clamp(watts);
        return new PowerReading(w, w, w, w, 0, true);
    }
}
