using EdgeGovernor.Hal.Gpio;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>A switched rack PDU over Redfish: discovers its outlets under <c>PowerEquipment</c> and hands out one
/// <see cref="RedfishOutlet"/> per outlet, all sharing this PDU's client (one request at a time).</summary>
public sealed class RedfishPdu : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private IReadOnlyList<RedfishOutlet>? _outlets;

    /// <summary>Creates the PDU client; nothing is sent before <see cref="DiscoverAsync"/>.</summary>
    public RedfishPdu(RedfishClientOptions options, TimeProvider? time = null)
        : this(new RedfishClient(options, time ?? TimeProvider.System), time ?? TimeProvider.System)
    {
    }

    /// <summary>Creates the PDU client over <paramref name="client"/>.</summary>
    internal RedfishPdu(RedfishClient client, TimeProvider time)
    {
        _time = time;
        Client = client;
    }

    /// <summary>The HTTP client (counters, session).</summary>
    public RedfishClient Client { get; }

    /// <summary>Discovers the outlets (once), each protected by <paramref name="protection"/> (null: the relay defaults).</summary>
    public async ValueTask<IReadOnlyList<RedfishOutlet>> DiscoverAsync(RelayOptions? protection = null, CancellationToken cancellationToken = default)
    {
        if (_outlets is not null)
        {
            return _outlets;
        }

        List<RedfishOutletResource> found;
        using (await Client.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            found = await RedfishDiscovery.DiscoverOutletsAsync(Client, cancellationToken).ConfigureAwait(false);
        }

        var outlets = new RedfishOutlet[found.Count];
        for (int i = 0; i < outlets.Length; i++)
        {
            outlets[i] = new RedfishOutlet(Client, found[i], protection ?? new RelayOptions(), _time);
        }

        return _outlets = outlets;
    }

    /// <summary>The outlet with <c>Id</c> <paramref name="id"/> (optionally <c>pdu/outlet</c>), after <see cref="DiscoverAsync"/>; null when none.</summary>
    public RedfishOutlet? Find(string id)
    {
        foreach (RedfishOutlet outlet in _outlets ?? [])
        {
            if (outlet.Resource.Id == id || $"{outlet.Resource.Pdu}/{outlet.Resource.Id}" == id)
            {
                return outlet;
            }
        }

        return null;
    }

    /// <summary>Logs out and closes the connections.</summary>
    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
