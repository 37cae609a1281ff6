namespace EdgeGovernor.Simulator.Engine;

/// <summary>
/// A node's durable store in the simulation: writes are durable at once (as after fsync) and
/// survive the node's crashes and restarts.
/// </summary>
public sealed class SimulatedStore
{
    private readonly Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);

    /// <summary>Number of writes so far (all lives).</summary>
    public long Writes { get; private set; }

    /// <summary>Reads a value; false if never written.</summary>
    public bool TryRead(string key, out ReadOnlySpan<byte> value)
    {
        if (_values.TryGetValue(key, out byte[]? v))
        {
            value = v;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Writes a value durably.</summary>
    public void Write(string key, ReadOnlySpan<byte> value)
    {
        _values[key] = value.ToArray();
        Writes++;
    }
}
