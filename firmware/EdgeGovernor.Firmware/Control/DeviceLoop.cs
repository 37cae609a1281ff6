using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The loop of one networked device (an IPMI or Redfish BMC, a Redfish PDU), so that its round trips (timeouts,
/// retries) never block the control loop: every <c>pollMs</c> one turn (<see cref="TurnAsync"/>) of the subclass. A turn
/// that fails with a <see cref="BmcException"/> or <see cref="HalException"/> is counted, the device is marked unreachable
/// and logged once (and once when it answers again); the loop carries on. The control loop only reads the counters and
/// the flags (lock-free).
/// </summary>
internal abstract class DeviceLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _stopBound;
    private long _errors, _turns;
    private volatile bool _reachable = true;
    private Task? _loop;

    /// <summary>A loop turning every <paramref name="pollMs"/>; <paramref name="stopBound"/> bounds the wait for a turn in progress on stop.</summary>
    protected DeviceLoop(string description, int pollMs, TimeSpan stopBound, Logger? log)
    {
        Description = description;
        PollMs = pollMs;
        _stopBound = stopBound;
        Log = log;
    }

    /// <summary>What the device is, for logs (e.g. <c>BMC 10.0.7.21:623 of web-1</c>).</summary>
    public string Description { get; }

    /// <summary>Period of the loop, milliseconds.</summary>
    public int PollMs { get; }

    /// <summary>False while the device does not answer (the last turn failed).</summary>
    public bool Reachable => _reachable;

    /// <summary>Turns that failed, plus refusals the subclass counted (<see cref="CountError"/>).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Turns completed (successful or not).</summary>
    public long Turns => Interlocked.Read(ref _turns);

    /// <summary>The error of the last failed turn (null while reachable).</summary>
    public string? LastError { get; private set; }

    /// <summary>The log (null: none).</summary>
    protected Logger? Log { get; }

    /// <summary>Starts the loop.</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops the loop (waits for the turn in progress, bounded) and leaves the device as it is.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await Task.WhenAny(loop, Task.Delay(_stopBound)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await DisposeDeviceAsync().ConfigureAwait(false);
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One turn: pending changes, then readings. Throws <see cref="BmcException"/> or <see cref="HalException"/> when the device fails.</summary>
    protected abstract Task TurnAsync(CancellationToken stop);

    /// <summary>Closes the device's client.</summary>
    protected abstract ValueTask DisposeDeviceAsync();

    /// <summary>Counts an error that did not fail the turn (e.g. a refused value).</summary>
    protected void CountError() => Interlocked.Increment(ref _errors);

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await TurnAsync(stop).ConfigureAwait(false);
                if (!_reachable)
                {
                    _reachable = true;
                    LastError = null;
                    Log?.Notice($"{Description} answers again");
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is BmcException or HalException)
            {
                Interlocked.Increment(ref _errors);
                LastError = e.Message;
                if (_reachable)
                {
                    _reachable = false;
                    Log?.Warning($"{Description}: {e.Message} (counted; it keeps the last setting it accepted)");
                }
            }
            Interlocked.Increment(ref _turns);

            try
            {
                await Task.Delay(PollMs, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
