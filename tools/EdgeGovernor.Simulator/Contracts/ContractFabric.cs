using EdgeGovernor.Policy.Contracts;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// The racks' controllers in a contracts run and the network between them: builds one <see cref="RackController"/>
/// per rack (own Ed25519 key, the contracts it holds), makes the offers the trading pass agreed, runs each hour's
/// one-minute network steps (deliveries, the exchanges' timers, done reports) with the injected crashes and restarts,
/// and settles every open transfer after the last hour.
/// </summary>
internal sealed class ContractFabric
{
    /// <summary>Steps per hour (one minute each).</summary>
    private const int StepsPerHour = 60;

    private const long StepMs = 60_000;

    private readonly FederationOptions _options;
    private readonly FederationRack[] _racks;
    private readonly RackBooks[] _books;
    private readonly Random _faults;
    private readonly int[] _crashStep;
    private readonly RackController[] _controllers;
    private readonly ContractNetwork _network;
    private long _droppedAtDownRacks;

    /// <summary>The controllers, by rack id.</summary>
    public RackController[] Controllers => _controllers;

    /// <summary>Contract messages sent.</summary>
    public long MessagesSent => _network.Sent;

    /// <summary>Contract messages lost by the network or sent to a controller that was down.</summary>
    public long MessagesLost => _network.Lost + _droppedAtDownRacks;

    /// <summary>One controller per rack, each with its own Ed25519 key (seeded from the rack id) and the contracts it
    /// holds, all on one lossy network.</summary>
    public ContractFabric(FederationOptions options, FederationRack[] racks, List<(int A, int B, LoadContract AtA, LoadContract AtB)> contracts)
    {
        _options = options;
        _racks = racks;
        _books = [.. racks.Select(r => r.Books)];
        _faults = new Random(options.Seed + 7919);
        _crashStep = new int[racks.Length];
        var roster = new SigningRoster();
        var signers = new Ed25519Signer[_racks.Length];
        for (int r = 0; r < _racks.Length; r++)
        {
            signers[r] = SimulatedBoardKey.For(r);
            roster.Set(RackController.NodeOf(r), signers[r].PublicKey);
        }

        var held = new List<ContractTerms>[_racks.Length];
        for (int r = 0; r < _racks.Length; r++)
        {
            held[r] = [];
        }
        long baseMs = new DateTimeOffset(DateTime.SpecifyKind(_options.From, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        for (int k = 0; k < contracts.Count; k++)
        {
            (int a, int b, LoadContract atA, LoadContract atB) = contracts[k];
            held[a].Add(Terms((uint)k + 1, atA, baseMs));
            held[b].Add(Terms((uint)k + 1, atB, baseMs));
        }

        _network = new ContractNetwork(new Random(_options.Seed + 104_729), _options.Loss, _options.Duplicate);
        _controllers = new RackController[_racks.Length];
        for (int r = 0; r < _racks.Length; r++)
        {
            _controllers[r] = new RackController(_racks[r], signers[r], roster, [.. held[r]], baseMs)
            {
                RestartAfterMs = _options.RestartAfterMinutes * StepMs,
            };
        }
    }

    /// <summary>A rack's copy of a contract as the exchange enforces it (prices in micros, hours in unix ms).</summary>
    private static ContractTerms Terms(uint id, in LoadContract c, long baseMs) => new(
        id,
        RackController.NodeOf(c.Partner),
        Micros(c.PriceMin),
        Micros(c.PriceMax),
        (uint)c.MaxUnitsPerHour,
        c.ClassesOut,
        c.ClassesIn,
        baseMs + (c.ValidFromHour * 3_600_000),
        baseMs + (c.ValidToHour * 3_600_000));

    /// <summary>The sender's controller offers what the trading pass agreed (the receiver's policy agreed to it in the
    /// same pass: its controller accepts the offer when it arrives, unless it crashed meanwhile).</summary>
    public void Offer(RackController from, RackController to, uint contractId, in LoadContract held, int t, int deadlineHour, int units, double price)
    {
        uint priceMicros = Math.Clamp((uint)Math.Round(price * ContractLimits.MicrosPerUnitOfMoney), Micros(held.PriceMin), Micros(held.PriceMax));
        long hourStart = from.HourStartMs(t);
        long decideBy = hourStart + (_options.DecideMinutes * StepMs);
        long runBy = from.HourStartMs(deadlineHour + 1);
        if (from.Exchange.TryOffer(contractId, 0, (uint)units, priceMicros, decideBy, runBy, hourStart, from.Effects, out TransferId id))
        {
            to.Agreed.Add(id);
        }
        Apply(from, hourStart, t, (long)t * StepsPerHour);
    }

    private static uint Micros(double money) => (uint)Math.Round(money * ContractLimits.MicrosPerUnitOfMoney);

    /// <summary>Draws this hour's controller crashes: each up controller crashes with probability
    /// <see cref="FederationOptions.CrashRate"/> at a random step (or while the hour's offers are made, step 0).</summary>
    public void ScheduleCrashes()
    {
        for (int r = 0; r < _racks.Length; r++)
        {
            _crashStep[r] = -1;
            if (_controllers[r].Up && _options.CrashRate > 0 && _faults.NextDouble() < _options.CrashRate)
            {
                _crashStep[r] = _faults.Next(StepsPerHour);
                if (_crashStep[r] == 0)
                {
                    _controllers[r].CrashAfterEffects = _faults.Next(4);
                }
            }
        }
    }

    /// <summary>The hour's network steps: deliveries, timers, done reports, crashes and restarts.</summary>
    public void RunHour(int t)
    {
        for (int s = 0; s < StepsPerHour; s++)
        {
            long step = ((long)t * StepsPerHour) + s;
            long now = _controllers[0].HourStartMs(t) + (s * StepMs);
            for (int r = 0; r < _racks.Length; r++)
            {
                if (s > 0 && _crashStep[r] == s && _controllers[r].Up)
                {
                    _controllers[r].CrashAfterEffects = _faults.Next(4);
                }
            }

            Step(t, step, now);

            for (int r = 0; r < _racks.Length; r++)
            {
                RackController c = _controllers[r];
                if (c.Up && c.CrashAfterEffects >= 0 && _crashStep[r] <= s)
                {
                    c.Crash(now); // no call cut it short: it crashes between calls
                }
            }
        }
    }

    private void Step(int t, long step, long now)
    {
        RackController[] controllers = _controllers;
        List<(NodeId From, NodeId To, byte[] Payload)>? due = _network.TakeDue(step);
        if (due is not null)
        {
            foreach ((NodeId from, NodeId to, byte[] payload) in due)
            {
                RackController c = controllers[RackController.RackOf(to)];
                if (!c.Up)
                {
                    _droppedAtDownRacks++;
                    continue;
                }
                c.Exchange.Receive(from, payload, now, c.Effects);
                Apply(c, now, t, step);
            }
        }

        foreach (RackController c in controllers)
        {
            if (!c.Up)
            {
                if (now >= c.DownUntilMs)
                {
                    c.Restart(now, t, _books, _options.MigrationCostPerUnit);
                }
                continue;
            }

            c.ReportFinished(now);
            if (c.Exchange.NextDeadlineMs <= now)
            {
                c.Exchange.Tick(now, c.Effects);
            }
            Apply(c, now, t, step);
        }
    }

    private void Apply(RackController c, long now, int t, long step)
    {
        if (c.Effects.Count > 0)
        {
            c.Apply(now, t, step, _network, _books, _options.MigrationCostPerUnit);
        }
    }

    /// <summary>After the last hour: every controller up, no loss and no crash, until every transfer is resolved and
    /// reported on both sides (or a day of steps has passed).</summary>
    public void Settle(int hour)
    {
        _network.Loss = 0;
        _network.Duplicate = 0;
        Array.Fill(_crashStep, -1);
        long baseStep = (long)hour * StepsPerHour;
        for (int s = 0; s < 24 * StepsPerHour; s++)
        {
            long now = _controllers[0].HourStartMs(hour) + (s * StepMs);
            foreach (RackController c in _controllers)
            {
                c.CrashAfterEffects = -1;
                if (!c.Up)
                {
                    c.DownUntilMs = now;
                }
            }
            Step(hour, baseStep + s, now);
            if (_network.InFlight == 0 && _controllers.All(c => c.Up && c.Exchange.OpenTransfers == 0 && c.ToReport.Count == 0))
            {
                return;
            }
        }
    }
}
