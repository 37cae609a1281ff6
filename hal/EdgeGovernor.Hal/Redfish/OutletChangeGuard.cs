using EdgeGovernor.Hal.Gpio;

namespace EdgeGovernor.Hal.Redfish;

/// <summary>
/// The protection of a switched outlet, as for a GPIO <see cref="Relay"/>: a minimum dwell between changes (counted from the
/// take-over as well) and a cap on changes in any sliding hour. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class OutletChangeGuard(RelayOptions options, TimeProvider time)
{
    private readonly DateTimeOffset[] _changes = new DateTimeOffset[Math.Max(1, options.MaxTogglesPerHour)];
    private DateTimeOffset _last = time.GetUtcNow();
    private int _count, _next;

    /// <summary>Earliest time a change is allowed, or null when now.</summary>
    public DateTimeOffset? NextAllowedAt()
    {
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset allowed = _last + options.EffectiveDwell;
        if (CountWithinHour(now) >= _changes.Length)
        {
            DateTimeOffset oldest = _changes[_next];
            if (oldest + TimeSpan.FromHours(1) > allowed)
            {
                allowed = oldest + TimeSpan.FromHours(1);
            }
        }

        return allowed > now ? allowed : null;
    }

    /// <summary>Throws <see cref="HalException"/> (<see cref="HalErrorKind.RateLimited"/>) when a change is not allowed now.</summary>
    public void Check(string name)
    {
        if (NextAllowedAt() is { } at)
        {
            throw new HalException(HalErrorKind.RateLimited,
                $"outlet {name}: next change allowed at {at:O} (dwell {options.EffectiveDwell.TotalSeconds:F0} s, at most {options.MaxTogglesPerHour} changes an hour)", name);
        }
    }

    /// <summary>Counts a change made now.</summary>
    public void Record()
    {
        DateTimeOffset now = time.GetUtcNow();
        _last = now;
        _changes[_next] = now;
        _next = (_next + 1) % _changes.Length;
        _count = Math.Min(_count + 1, _changes.Length);
    }

    private int CountWithinHour(DateTimeOffset now)
    {
        int within = 0;
        for (int i = 0; i < _count; i++)
        {
            if (now - _changes[i] < TimeSpan.FromHours(1))
            {
                within++;
            }
        }

        return within;
    }
}
