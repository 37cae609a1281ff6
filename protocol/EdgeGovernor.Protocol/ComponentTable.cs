using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol;

/// <summary>
/// The <see cref="IProtocolComponent"/>s plugged into a <see cref="ProtocolNode"/>: by message type (cluster and
/// extension range), by reliable channel (1..255), and the tick list (registration order, each once).
/// </summary>
internal sealed class ComponentTable
{
    private readonly IProtocolComponent?[] _byType = new IProtocolComponent?[128];
    private readonly List<IProtocolComponent> _components = new();

    /// <summary>Components by channel; entry 0 stays null (the application's channel).</summary>
    public IProtocolComponent?[] ByChannel { get; } = new IProtocolComponent?[256];

    /// <summary>The component registered for <paramref name="type"/>, or null.</summary>
    public IProtocolComponent? ForType(MessageType type) => _byType[(int)type];

    public void RegisterMessageType(MessageType type, IProtocolComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (type < MessageType.ClusterFirst || type > MessageType.ExtensionLast)
        {
            throw new ArgumentException($"Message type {(byte)type} is not in the component range {(byte)MessageType.ClusterFirst}..{(byte)MessageType.ExtensionLast}.", nameof(type));
        }

        if (_byType[(int)type] is not null)
        {
            throw new ArgumentException($"Message type {type} is already registered.", nameof(type));
        }

        _byType[(int)type] = component;
        Add(component);
    }

    public void RegisterChannel(byte channel, IProtocolComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (channel == 0 || ByChannel[channel] is not null)
        {
            throw new ArgumentException($"Channel {channel} is reserved for the application or already registered.", nameof(channel));
        }

        ByChannel[channel] = component;
        Add(component);
    }

    public void Add(IProtocolComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (!_components.Contains(component))
        {
            _components.Add(component);
        }
    }

    /// <summary>The earliest of <paramref name="next"/> and every component's deadline.</summary>
    public long NextDeadlineUs(long next)
    {
        foreach (IProtocolComponent c in _components)
        {
            next = Math.Min(next, c.NextDeadlineUs);
        }

        return next;
    }

    /// <summary>Ticks every component; one that throws is counted in <paramref name="counters"/> and the others still run.</summary>
    public void Tick(long nowUs, ProtocolCounters counters)
    {
        foreach (IProtocolComponent c in _components)
        {
            try
            {
                c.Tick(nowUs);
            }
            catch (Exception e) when (e is not ObjectDisposedException)
            {
                counters.Fault(MessageType.None, e);
            }
        }
    }

    /// <summary>Passes a membership event to every component that listens (<see cref="IMembershipListener"/>).</summary>
    public void OnMembershipChanged(NodeId member, ulong incarnation, bool alive, long nowUs)
    {
        foreach (IProtocolComponent c in _components)
        {
            if (c is IMembershipListener listener)
            {
                if (alive)
                {
                    listener.OnMemberAlive(member, incarnation, nowUs);
                }
                else
                {
                    listener.OnMemberFailed(member, incarnation, nowUs);
                }
            }
        }
    }
}
