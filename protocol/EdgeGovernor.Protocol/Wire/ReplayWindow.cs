namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// Per-sender anti-replay state in the manner of IPsec (RFC 4303 section 3.4.3): the highest datagram
/// sequence number seen for the sender's current incarnation and a sliding bitmap of the
/// <see cref="Size"/> numbers below it. A datagram is accepted once; a number at or below
/// <c>highest - Size</c> is rejected as too old; a lower incarnation than the one on record is
/// rejected (incarnations strictly increase at restart); a higher incarnation resets the window.
/// Only authenticated datagrams reach the window, so an attacker without the key cannot move it.
/// </summary>
public sealed class ReplayWindow
{
    private readonly ulong[] _bits;
    private ulong _incarnation;
    private ulong _highest;

    /// <summary>Creates a window of <paramref name="size"/> sequence numbers (a positive multiple of 64).</summary>
    public ReplayWindow(int size)
    {
        if (size <= 0 || size % 64 != 0)
        {
            throw new ArgumentException($"The replay window size must be a positive multiple of 64 (got {size}).", nameof(size));
        }

        _bits = new ulong[size / 64];
    }

    /// <summary>Window size in sequence numbers.</summary>
    public int Size => _bits.Length * 64;

    /// <summary>The incarnation on record (0 before the first datagram).</summary>
    public ulong Incarnation => _incarnation;

    /// <summary>Checks and records one datagram's (incarnation, sequence). Returns false for a replay.</summary>
    public bool TryAccept(ulong incarnation, ulong sequence)
    {
        if (sequence == 0 || incarnation < _incarnation)
        {
            return false;
        }

        if (incarnation > _incarnation)
        {
            _incarnation = incarnation;
            _highest = 0;
            Array.Clear(_bits);
        }

        int size = Size;
        if (sequence > _highest)
        {
            ulong shift = sequence - _highest;
            if (shift >= (ulong)size)
            {
                Array.Clear(_bits);
            }
            else
            {
                for (ulong s = _highest + 1; s < sequence; s++)
                {
                    Clear(s);
                }
            }

            _highest = sequence;
            Set(sequence);
            return true;
        }

        if (_highest - sequence >= (ulong)size)
        {
            return false;
        }

        if (IsSet(sequence))
        {
            return false;
        }

        Set(sequence);
        return true;
    }

    private int Index(ulong sequence, out ulong mask)
    {
        int bit = (int)(sequence % (ulong)Size);
        mask = 1UL << (bit & 63);
        return bit >> 6;
    }

    private bool IsSet(ulong sequence) => (_bits[Index(sequence, out ulong mask)] & mask) != 0;

    private void Set(ulong sequence) => _bits[Index(sequence, out ulong mask)] |= mask;

    private void Clear(ulong sequence) => _bits[Index(sequence, out ulong mask)] &= ~mask;
}
