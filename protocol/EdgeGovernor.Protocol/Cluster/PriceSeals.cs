using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// The signatures of the records in the price log: per log slot (index modulo the log's capacity) the record's term,
/// the coordinator that signed it and its 64-byte signature, so that a catch-up reply relays every record with the
/// signature it was made with. A seal is found only for the index and term it was stored with. Preallocated; nothing is
/// allocated per record. Owned by <see cref="PriceReplication"/>.
/// </summary>
internal sealed class PriceSeals
{
    private readonly ulong[] _index;
    private readonly ulong[] _term;
    private readonly NodeId[] _signer;
    private readonly byte[] _signatures;

    /// <summary>Room for as many seals as the log holds records.</summary>
    public PriceSeals(int capacity)
    {
        _index = new ulong[capacity];
        _term = new ulong[capacity];
        _signer = new NodeId[capacity];
        _signatures = new byte[capacity * SignatureFormat.SignatureSize];
    }

    /// <summary>Keeps the seal of the record at <paramref name="index"/> of <paramref name="term"/>.</summary>
    public void Store(ulong index, ulong term, NodeId signer, ReadOnlySpan<byte> signature)
    {
        int slot = Slot(index);
        _index[slot] = index;
        _term[slot] = term;
        _signer[slot] = signer;
        signature[..SignatureFormat.SignatureSize].CopyTo(_signatures.AsSpan(slot * SignatureFormat.SignatureSize));
    }

    /// <summary>The seal of the record at <paramref name="index"/> of <paramref name="term"/>; false when none is held.</summary>
    public bool TryGet(ulong index, ulong term, out NodeId signer, out ReadOnlySpan<byte> signature)
    {
        int slot = Slot(index);
        if (_index[slot] != index || _term[slot] != term || index == 0)
        {
            signer = default;
            signature = default;
            return false;
        }

        signer = _signer[slot];
        signature = _signatures.AsSpan(slot * SignatureFormat.SignatureSize, SignatureFormat.SignatureSize);
        return true;
    }

    private int Slot(ulong index) => (int)(index % (ulong)_index.Length);
}
