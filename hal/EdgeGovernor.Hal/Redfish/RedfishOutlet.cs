using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Redfish.Dto;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>
/// One outlet of a Redfish PDU, behind <see cref="IRelay"/> (synchronous, for the relay loop) and with asynchronous
/// reading, switching and cycling. Switching goes through <c>Outlet.PowerControl</c> (<c>{"PowerState": "On"|"Off"|"PowerCycle"}</c>);
/// when the PDU answers the action with 404/405 or lists none, <c>PowerState</c> is PATCHed instead (If-Match with its ETag).
/// A change is not sent when the outlet is already there, is refused inside the dwell or over the hourly cap
/// (<see cref="HalErrorKind.RateLimited"/>), and, when its outcome is unknown (no reply, 5xx), is sent again only after the
/// state was read back and shows it did not happen; a cycle is never sent again.
/// </summary>
public sealed class RedfishOutlet : IRelay
{
    private static readonly string[] States = ["On", "Off", "PoweringOn", "PoweringOff", "Paused"];

    private readonly RedfishClient _client;
    private readonly OutletChangeGuard _guard;
    private bool _patchOnly;
    private long _changes;

    internal RedfishOutlet(RedfishClient client, RedfishOutletResource resource, RelayOptions protection, TimeProvider time)
    {
        _client = client;
        Resource = resource;
        _guard = new OutletChangeGuard(protection, time);
        _patchOnly = resource.PowerControl is null;
    }

    /// <summary>Where the outlet is on the PDU.</summary>
    public RedfishOutletResource Resource { get; }

    /// <inheritdoc/>
    public string Name => Resource.Pdu.Length == 0 ? Resource.Id : $"{Resource.Pdu}/{Resource.Id}";

    /// <summary>Changes the PDU accepted (on, off, cycle).</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Reads power state, power and energy (no allocation beyond the HTTP stack's).</summary>
    public async ValueTask<RedfishOutletReading> ReadAsync(CancellationToken cancellationToken = default)
    {
        using RedfishLease lease = await _client.LockAsync(cancellationToken).ConfigureAwait(false);
        return await ReadLockedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Switches the outlet on or off (see the class remarks).</summary>
    public async ValueTask SwitchAsync(bool on, CancellationToken cancellationToken = default)
    {
        using RedfishLease lease = await _client.LockAsync(cancellationToken).ConfigureAwait(false);
        RedfishOutletReading now = await ReadLockedAsync(cancellationToken).ConfigureAwait(false);
        if (Reached(on, now.PowerState))
        {
            return;
        }

        _guard.Check(Name);
        string state = on ? "On" : "Off";
        for (int sent = 1; ; sent++)
        {
            string? unknown = await SendAsync(state, cancellationToken).ConfigureAwait(false);
            if (unknown is null)
            {
                Record();
                return;
            }

            now = await ReadLockedAsync(cancellationToken).ConfigureAwait(false);
            if (Reached(on, now.PowerState))
            {
                Record();
                return;
            }

            if (sent >= 2)
            {
                throw new BmcException(BmcErrorKind.Timeout, $"outlet {Name} {state}: outcome unknown ({unknown}); read back {now.PowerState}; not sent again");
            }
        }
    }

    /// <summary>Power-cycles the outlet through <c>Outlet.PowerControl</c>; never sent twice without the caller reading the state.</summary>
    public async ValueTask CycleAsync(CancellationToken cancellationToken = default)
    {
        using RedfishLease lease = await _client.LockAsync(cancellationToken).ConfigureAwait(false);
        if (Resource.PowerControl is null)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"outlet {Name} offers no Outlet.PowerControl action to cycle it");
        }

        _guard.Check(Name);
        string? unknown = await SendAsync("PowerCycle", cancellationToken).ConfigureAwait(false);
        if (unknown is not null)
        {
            RedfishOutletReading now = await ReadLockedAsync(cancellationToken).ConfigureAwait(false);
            throw new BmcException(BmcErrorKind.Timeout, $"outlet {Name} PowerCycle: outcome unknown ({unknown}); read back {now.PowerState}; not sent again");
        }

        Record();
    }

    /// <inheritdoc/>
    public bool ReadIsOn() => Sync(ReadAsync()).IsOn;

    /// <inheritdoc/>
    public DateTimeOffset? NextChangeAllowedAt() => _guard.NextAllowedAt();

    /// <inheritdoc/>
    public void Switch(bool on) => Sync(SwitchAsync(on));

    private void Record()
    {
        _guard.Record();
        Interlocked.Increment(ref _changes);
    }

    private static bool Reached(bool on, RedfishPowerState state) =>
        on ? state is RedfishPowerState.On or RedfishPowerState.PoweringOn : state is RedfishPowerState.Off or RedfishPowerState.PoweringOff;

    /// <summary>Sends the change once: null when accepted, the reason when the outcome is unknown; a refusal throws.</summary>
    private async ValueTask<string?> SendAsync(string state, CancellationToken cancellationToken)
    {
        try
        {
            if (!_patchOnly)
            {
                byte[] body = JsonSerializer.SerializeToUtf8Bytes(new PowerStateRequest { PowerState = state }, RedfishJsonContext.Default.PowerStateRequest);
                RedfishResponse response = await _client.PostActionAsync(Resource.PowerControl!, body, cancellationToken).ConfigureAwait(false);
                if (response.Status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
                {
                    _patchOnly = true; // The action is listed but not served (nothing happened): PATCH PowerState from now on.
                }
                else
                {
                    return Outcome(response, "Outlet.PowerControl " + state);
                }
            }

            if (state == "PowerCycle")
            {
                throw new BmcException(BmcErrorKind.InvalidArgument, $"outlet {Name} serves no Outlet.PowerControl action to cycle it");
            }

            return await PatchStateAsync(state, cancellationToken).ConfigureAwait(false);
        }
        catch (BmcException e) when (e.Kind == BmcErrorKind.Timeout)
        {
            return e.Message;
        }
    }

    private async ValueTask<string?> PatchStateAsync(string state, CancellationToken cancellationToken)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new PowerStateRequest { PowerState = state }, RedfishJsonContext.Default.PowerStateRequest);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            RedfishResponse current = await _client.GetAsync(Resource.Uri, wantETag: true, cancellationToken).ConfigureAwait(false);
            if (!current.IsSuccess)
            {
                throw RedfishFailure.Status("outlet " + Name, current);
            }

            RedfishResponse response = await _client.PatchAsync(Resource.Uri, body, current.ETag, cancellationToken).ConfigureAwait(false);
            if (response.Status != HttpStatusCode.PreconditionFailed)
            {
                return Outcome(response, "PATCH PowerState " + state);
            }
        }

        throw new BmcException(BmcErrorKind.CompletionCode, $"outlet {Name}: PATCH PowerState refused with 412 three times");
    }

    private static string? Outcome(in RedfishResponse response, string what) =>
        response.IsSuccess ? null : (int)response.Status >= 500 ? $"HTTP {(int)response.Status}" : throw RedfishFailure.Status(what, response);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RedfishOutletReading> ReadLockedAsync(CancellationToken cancellationToken)
    {
        RedfishResponse response = await _client.GetAsync(Resource.Uri, wantETag: false, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw RedfishFailure.Status("outlet " + Name, response);
        }

        ReadOnlySpan<byte> body = response.Body.Span;
        int state = RedfishJsonScanner.ReadChoice(body, "PowerState"u8, States, "outlet");
        if (state < 0)
        {
            throw RedfishFailure.Malformed("outlet " + Name, "PowerState missing or not a Redfish power state");
        }

        double watts = RedfishJsonScanner.TryReadNumber(body, "PowerWatts.Reading"u8, 0, 1_000_000, "outlet", out double w) ? w : double.NaN;
        double energy = RedfishJsonScanner.TryReadNumber(body, "EnergykWh.Reading"u8, 0, 1e12, "outlet", out double e) ? e : double.NaN;
        return new RedfishOutletReading((RedfishPowerState)state, watts, energy);
    }

    /// <summary>Runs an operation to completion for the synchronous relay interface; failures become <see cref="HalException"/>s.</summary>
    private T Sync<T>(ValueTask<T> operation)
    {
        try
        {
            return operation.AsTask().GetAwaiter().GetResult();
        }
        catch (BmcException e)
        {
            throw new HalException(e.Kind == BmcErrorKind.Timeout ? HalErrorKind.Busy : HalErrorKind.IoError, $"outlet {Name}: {e.Message}", Name, inner: e);
        }
    }

    private void Sync(ValueTask operation) => Sync(AsBool(operation));

    private static async ValueTask<bool> AsBool(ValueTask operation)
    {
        await operation.ConfigureAwait(false);
        return true;
    }
}
