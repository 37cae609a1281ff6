namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// The effects of calls into <see cref="ContractExchange"/>, in order, with the signed bytes of the messages to send.
/// The exchange appends; the host carries them out in order and then <see cref="Clear"/>s (one object reused: no
/// allocation once its buffers have grown to the busiest call).
/// </summary>
public sealed class ContractEffects
{
    private ContractEffect[] _items = new ContractEffect[16];
    private byte[] _payloads = new byte[16 * ContractMessage.MaxSize];
    private int _payloadUsed;

    /// <summary>Number of effects.</summary>
    public int Count { get; private set; }

    /// <summary>Effect <paramref name="index"/> (0-based, in order).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not below <see cref="Count"/>.</exception>
    public ref readonly ContractEffect this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return ref _items[index];
        }
    }

    /// <summary>The signed message bytes of send effect <paramref name="index"/> (empty for other kinds); valid until <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Payload(int index)
    {
        ref readonly ContractEffect effect = ref this[index];
        return _payloads.AsSpan(effect.PayloadStart, effect.PayloadLength);
    }

    /// <summary>Forgets every effect.</summary>
    public void Clear()
    {
        Count = 0;
        _payloadUsed = 0;
    }

    internal void Add(in ContractEffect effect)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = effect;
    }

    /// <summary>Room for one signed message; <see cref="AddSend"/> records how much of it was used.</summary>
    internal Span<byte> ReservePayload()
    {
        if (_payloadUsed + ContractMessage.MaxSize > _payloads.Length)
        {
            Array.Resize(ref _payloads, _payloads.Length * 2);
        }

        return _payloads.AsSpan(_payloadUsed, ContractMessage.MaxSize);
    }

    internal void AddSend(in ContractTransfer transfer, in ContractMessage message, int length)
    {
        Add(new ContractEffect(ContractEffectKind.Send, transfer, Message: message) { PayloadStart = _payloadUsed, PayloadLength = length });
        _payloadUsed += length;
    }
}
