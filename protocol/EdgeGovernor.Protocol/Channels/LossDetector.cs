using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Channels;

/// <summary>
/// Gap detection and the NACK timer of one multicast stream (Aeron's LossDetector, NORM's NACK backoff). A gap arms
/// the timer after a random backoff; when it fires, a NACK (first missing, 64-bit mask) goes to the origin while it is
/// alive, to the group after it failed, and the timer re-arms itself (waits of 2, 4, 8, 16 RTTs plus a backoff) until
/// the gap closes; after the origin failed, <see cref="NodeOptions.MaxNackRoundsAfterFailure"/> fruitless rounds give
/// the first gap up. An overheard group NACK asking for our first missing message holds ours back.
/// </summary>
internal sealed class LossDetector
{
    private readonly MulticastStream _stream;
    private readonly MulticastContext _context;

    public LossDetector(MulticastStream stream, MulticastContext context)
    {
        _stream = stream;
        _context = context;
    }

    /// <summary>When the next NACK is due (<see cref="MessageRing.NotArmed"/>: no timer).</summary>
    public long DueUs { get; private set; } = MessageRing.NotArmed;

    /// <summary>NACK rounds since the last progress (or since the origin failed).</summary>
    public int Rounds { get; private set; }

    public bool IsArmed => DueUs != MessageRing.NotArmed;

    public void Reset()
    {
        DueUs = MessageRing.NotArmed;
        Rounds = 0;
    }

    /// <summary>The stream delivered something: the next NACK counts as a first round again.</summary>
    public void OnProgress() => Rounds = 0;

    /// <summary>The origin failed: count the rounds addressed to the group from here on.</summary>
    public void OnOriginFailed() => Rounds = 0;

    /// <summary>Arms the timer (one backoff draw) when the stream has a gap and none is armed; disarms it without a gap.</summary>
    public void Arm(long nowUs)
    {
        if (!_stream.HasGap)
        {
            DueUs = MessageRing.NotArmed;
            return;
        }

        if (DueUs == MessageRing.NotArmed)
        {
            DueUs = nowUs + _context.BackoffUs();
            _context.Sink.WakeAt(DueUs);
        }
    }

    /// <summary>Fires the NACK when due; reports the armed due time to the sink either way.</summary>
    public void Tick(long nowUs)
    {
        if (DueUs == MessageRing.NotArmed)
        {
            return;
        }

        if (DueUs <= nowUs)
        {
            Fire(nowUs);
        }

        if (DueUs != MessageRing.NotArmed)
        {
            _context.Sink.WakeAt(DueUs);
        }
    }

    /// <summary>A NACK of this stream overheard from another receiver (sent to the group): if it asks for our first
    /// missing message, ours waits for the repair it will bring (one repair wait plus a backoff).</summary>
    public void OnNackHeard(in NackFrame nack, long nowUs)
    {
        if (_stream.IsLocal || DueUs == MessageRing.NotArmed)
        {
            return;
        }

        ulong mine = _stream.Delivered + 1;
        if (mine >= nack.FirstMissing && mine - nack.FirstMissing < 64 && (nack.Mask & (1UL << (int)(mine - nack.FirstMissing))) != 0)
        {
            DueUs = nowUs + _context.RepairWaitUs + _context.BackoffUs();
            _context.Counters.NacksSuppressed++;
            _context.Sink.WakeAt(DueUs);
        }
    }

    private void Fire(long nowUs)
    {
        MulticastStream stream = _stream;
        if (!stream.HasGap)
        {
            DueUs = MessageRing.NotArmed;
            return;
        }

        bool originAlive = !stream.OriginFailed && _context.Membership.IsAlive(stream.Origin);
        if (!originAlive && Rounds >= _context.MaxNackRoundsAfterFailure)
        {
            stream.AbandonFirstGap(nowUs);
            Rounds = 0;
            if (!stream.HasGap)
            {
                DueUs = MessageRing.NotArmed;
                return;
            }
        }

        ulong first = stream.Delivered + 1;
        ulong mask = 0;
        for (int i = 0; i < 64; i++)
        {
            ulong s = first + (ulong)i;
            if (s > stream.Highest)
            {
                break;
            }

            if (!stream.Ring.Has(s))
            {
                mask |= 1UL << i;
            }
        }

        _context.Counters.NacksSent++;
        Rounds++;
        _context.Sink.SendNack(originAlive ? Destination.To(stream.Origin) : Destination.Group, new NackFrame(stream.Origin, stream.Incarnation, first, mask));
        // Wait for the repair, longer after each fruitless round (x1, x2, x4, x8), then back off again.
        long wait = _context.RepairWaitUs << Math.Min(Rounds - 1, 3);
        DueUs = nowUs + wait + _context.BackoffUs();
        _context.Sink.WakeAt(DueUs);
    }
}
