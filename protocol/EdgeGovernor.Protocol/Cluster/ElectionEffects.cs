using System.Runtime.CompilerServices;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// What one call into <see cref="ElectionState"/> asks its owner to do, in order: vote requests to broadcast, answers to
/// send, leader changes (with their time). A value (no allocation); the owner applies it after the call returns. One
/// call produces at most two effects (e.g. "coordinator lost" then "standing: vote request"); the capacity is four.
/// </summary>
public struct ElectionEffects
{
    /// <summary>Most effects one call can hold.</summary>
    public const int Capacity = 4;

    private Buffer _items;

    /// <summary>Number of effects.</summary>
    public int Count { readonly get; private set; }

    /// <summary>True when the call asked for nothing.</summary>
    public readonly bool IsEmpty => Count == 0;

    /// <summary>Effect <paramref name="index"/> (0-based, in the order they happened).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not below <see cref="Count"/>.</exception>
    public readonly ElectionEffect this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return _items[index];
        }
    }

    /// <summary>Appends an effect.</summary>
    /// <exception cref="InvalidOperationException">More than <see cref="Capacity"/> (a programming error).</exception>
    internal void Add(in ElectionEffect effect)
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"An election call produced more than {Capacity} effects.");
        }

        _items[Count++] = effect;
    }

    /// <summary>Forgets every effect.</summary>
    internal void Clear() => Count = 0;

    [InlineArray(Capacity)]
    private struct Buffer
    {
        private ElectionEffect _first;
    }
}
