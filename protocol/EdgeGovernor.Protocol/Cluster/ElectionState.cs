namespace EdgeGovernor.Protocol.Cluster;

/// <summary>The election role of a node.</summary>
public enum ElectionRole : byte
{
    /// <summary>Not in the roster: receives everything, never votes, never leads.</summary>
    Observer = 0,

    /// <summary>A voter following a coordinator (or waiting for one).</summary>
    Follower = 1,

    /// <summary>Asking for pre-votes (PreVote's trial round; the term is unchanged).</summary>
    PreCandidate = 2,

    /// <summary>Standing for election in a new term.</summary>
    Candidate = 3,

    /// <summary>The coordinator of the current term.</summary>
    Leader = 4,
}

/// <summary>What the election state asks its owner to do. Calls happen synchronously inside its methods.</summary>
public interface IElectionOutput
{
    /// <summary>Send <paramref name="request"/> to every voter (in practice: to the group).</summary>
    void BroadcastVoteRequest(in VoteRequest request);

    /// <summary>Send <paramref name="response"/> to <paramref name="candidate"/>. Any vote has been persisted already.</summary>
    void SendVoteResponse(NodeId candidate, in VoteResponse response);

    /// <summary>
    /// The coordinator of <paramref name="term"/> is now <paramref name="leader"/> (<see cref="NodeId.None"/>: unknown).
    /// When the leader is this node, the owner appends the term's first price record and sends a heartbeat at once.
    /// </summary>
    void OnLeaderChanged(NodeId leader, ulong term);
}

/// <summary>
/// Raft's election (terms, one persisted vote per term, log up-to-dateness, PreVote, CheckQuorum) combined with
/// PARMCEA's ranking and ready alternates. Sans-IO: time and randomness are passed in, messages go out through
/// <see cref="IElectionOutput"/>, the vote is persisted through <see cref="IVoteStore"/> before it is sent.
/// Allocation-free after construction.
/// </summary>
/// <remarks>
/// <para>Timers. A follower considers the coordinator lost <see cref="ElectionOptions.LeaderTimeoutUs"/> after it last
/// heard it. Alternate i (named in the coordinator's heartbeats) then stands after (i - 1) ×
/// <see cref="ElectionOptions.AlternateDelayUs"/>; any other voter waits until the alternates' slots are over plus
/// <see cref="ElectionOptions.ElectionBaseUs"/> + rank × <see cref="ElectionOptions.RankStaggerUs"/> (rank = its position
/// in the PARMCEA succession order), so the full election runs only when no alternate succeeded. A cold start is a full
/// election measured from start-up. Plain Raft (ranking and alternates off) draws timeouts from [T, 2T].</para>
/// <para>Safety. Quorum is a majority of the configured roster. A voter grants at most one vote per term and saves it
/// before answering; it refuses a candidate whose price log is less up to date, and refuses any (pre-)vote while it
/// heard a coordinator within <see cref="ElectionOptions.LeaseUs"/>. A coordinator that has not heard a quorum of the
/// roster within <see cref="CheckQuorumWindowUs"/> steps down.</para>
/// </remarks>
public sealed class ElectionState
{
    private readonly NodeId _self;
    private readonly ElectionOptions _options;
    private readonly IVoteStore _store;
    private readonly IRandomSource _random;
    private readonly IElectionOutput _output;
    private readonly PriceLog _log;
    private readonly NodeId[] _roster;           // sorted
    // Per roster position, allocated on first use (only candidates and coordinators need them, which keeps a
    // 10,000-voter simulation small): last time heard (CheckQuorum), and granted in the current round.
    private long[]? _lastContactUs;
    private bool[]? _granted;
    private readonly NodeId[] _alternates;
    private readonly int _selfPosition;          // -1 for an observer
    private int _alternateCount;
    private int _grants;
    private ulong _roundTerm;
    private long _lastLeaderContactUs;
    private long _electionDeadlineUs = long.MaxValue;  // explicit: alternates, plain Raft
    private long _fullFromUs = long.MaxValue;          // ranked full election: counted from here
    private int _fullAhead;                            // alternates' slots before the full election
    private long _fullJitterUs;
    private long _fullRandomSlots;
    private long _roundDeadlineUs = long.MaxValue;
    private long _leaderSinceUs = long.MinValue;
    private long _nextQuorumCheckUs = long.MaxValue;
    private bool _leaderLost;

    /// <summary>Creates the state, restoring term and vote from <paramref name="store"/>, as a follower (or observer).</summary>
    /// <param name="self">This node.</param>
    /// <param name="roster">The voters (configured roster). Must not be empty; duplicates are rejected.</param>
    /// <param name="options">Timers and switches.</param>
    /// <param name="store">Durable term and vote.</param>
    /// <param name="random">Randomness (jitter, plain Raft's timeouts).</param>
    /// <param name="output">Where requests, answers and leadership changes go.</param>
    /// <param name="log">This node's price log (for the up-to-dateness rule).</param>
    public ElectionState(NodeId self, ReadOnlySpan<NodeId> roster, ElectionOptions options, IVoteStore store, IRandomSource random, IElectionOutput output, PriceLog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        if (!self.IsValid)
        {
            throw new ArgumentException("The local node id must not be 0.", nameof(self));
        }

        if (roster.IsEmpty)
        {
            throw new ArgumentException("The roster of voters must not be empty.", nameof(roster));
        }

        _roster = roster.ToArray();
        Array.Sort(_roster, static (a, b) => a.Value.CompareTo(b.Value));
        for (int i = 0; i < _roster.Length; i++)
        {
            if (!_roster[i].IsValid || (i > 0 && _roster[i] == _roster[i - 1]))
            {
                throw new ArgumentException($"The roster contains an invalid or duplicate id ({_roster[i]}).", nameof(roster));
            }
        }

        _self = self;
        _options = options;
        _store = store;
        _random = random;
        _output = output;
        _log = log;
        _alternates = new NodeId[Math.Max(options.Alternates, 1)];
        _selfPosition = RosterPosition(self);
        CheckQuorumWindowUs = options.CheckQuorumWindowUs;

        PersistentVote saved = store.Load();
        CurrentTerm = saved.Term;
        VotedFor = saved.VotedFor;
        Role = _selfPosition < 0 ? ElectionRole.Observer : ElectionRole.Follower;
    }

    /// <summary>This node's role.</summary>
    public ElectionRole Role { get; private set; }

    /// <summary>The latest term seen (persisted).</summary>
    public ulong CurrentTerm { get; private set; }

    /// <summary>The vote cast in <see cref="CurrentTerm"/> (persisted), or none.</summary>
    public NodeId VotedFor { get; private set; }

    /// <summary>The coordinator this node follows (itself when leader), or none.</summary>
    public NodeId Leader { get; private set; }

    /// <summary>True when this node is in the roster.</summary>
    public bool IsVoter => _selfPosition >= 0;

    /// <summary>A majority of the roster.</summary>
    public int Quorum => (_roster.Length / 2) + 1;

    /// <summary>The configured roster, sorted by id.</summary>
    public ReadOnlySpan<NodeId> Roster => _roster;

    /// <summary>The alternates named by the coordinator's last heartbeat (or chosen by this node when it leads).</summary>
    public ReadOnlySpan<NodeId> Alternates => _alternates.AsSpan(0, _alternateCount);

    /// <summary>This node's 0-based position in the PARMCEA succession order; the owner keeps it current.</summary>
    public int SuccessionRank { get; set; }

    /// <summary>
    /// The period at which the coordinator multicasts its heartbeat to the group (announced in its heartbeats; the owner
    /// keeps it current). When it is slower than <see cref="ElectionOptions.CoordinatorHeartbeatPeriodUs"/>, only the
    /// named alternates hear the fast beat; everyone else waits as many group periods as the fast timeout has fast ones.
    /// </summary>
    public long CoordinatorGroupPeriodUs { get; set; }

    /// <summary>True when this node is one of the alternates the coordinator named last.</summary>
    public bool IsNamedAlternate => Alternates.IndexOf(_self) >= 0;

    /// <summary>
    /// How long this follower waits without hearing the coordinator: <see cref="ElectionOptions.LeaderTimeoutUs"/> for a
    /// named alternate (it hears the fast beat), scaled by group period / fast period for everyone else.
    /// </summary>
    public long FollowerTimeoutUs => Scaled(_options.LeaderTimeoutUs, IsNamedAlternate);

    /// <summary>CheckQuorum's window; the owner raises it to cover the members' heartbeat period.</summary>
    public long CheckQuorumWindowUs { get; set; }

    /// <summary>Number of elections this node started (real vote rounds, not pre-votes).</summary>
    public long ElectionsStarted { get; private set; }

    /// <summary>Number of times this node stepped down because CheckQuorum failed.</summary>
    public long QuorumLossStepDowns { get; private set; }

    /// <summary>When the next timer fires (<see cref="long.MaxValue"/>: none).</summary>
    public long NextDeadlineUs => Role switch
    {
        ElectionRole.Observer => long.MaxValue,
        ElectionRole.Leader => _nextQuorumCheckUs,
        ElectionRole.Follower => Math.Min(ElectionDeadlineUs, _leaderLost ? long.MaxValue : _lastLeaderContactUs + FollowerTimeoutUs),
        _ => _roundDeadlineUs,
    };

    /// <summary>When this follower will stand for election (<see cref="long.MaxValue"/>: not scheduled). Follows
    /// <see cref="SuccessionRank"/> as the owner updates it.</summary>
    public long ElectionDeadlineUs
    {
        get
        {
            if (_fullFromUs == long.MaxValue)
            {
                return _electionDeadlineUs;
            }

            long slots = SuccessionRank < _options.MaxStaggeredRanks ? SuccessionRank : _fullRandomSlots;
            long ranked = _fullFromUs + (_fullAhead * _options.AlternateDelayUs) + _options.ElectionBaseUs
                + (slots * _options.RankStaggerUs) + _fullJitterUs;
            return Math.Min(_electionDeadlineUs, ranked);
        }
    }

    /// <summary>Starts the timers: a cold start waits for a full election's slot (nobody is configured as leader).</summary>
    public void Start(long nowUs)
    {
        _lastLeaderContactUs = long.MinValue;
        _leaderLost = true;
        if (IsVoter)
        {
            ScheduleFullElection(nowUs, alternatesAhead: 0);
        }
    }

    /// <summary>Is <paramref name="node"/> one of the voters?</summary>
    public bool IsInRoster(NodeId node) => RosterPosition(node) >= 0;

    /// <summary>Sets the alternates this node names in its heartbeats while it leads (the owner ranks them with <see cref="Parmcea.TopK"/>).</summary>
    public void SetOwnAlternates(ReadOnlySpan<NodeId> alternates)
    {
        if (Role == ElectionRole.Leader)
        {
            CopyAlternates(alternates);
        }
    }

    /// <summary>
    /// The coordinator's heartbeat (or first price record) of <paramref name="term"/> arrived from <paramref name="leader"/>.
    /// Returns false when it is stale (lower term) and must be ignored.
    /// </summary>
    public bool OnCoordinatorHeartbeat(NodeId leader, ulong term, ReadOnlySpan<NodeId> alternates, long nowUs)
    {
        if (leader == _self)
        {
            return true;
        }

        if (term < CurrentTerm || !IsInRoster(leader))
        {
            return false;
        }

        if (term == CurrentTerm && Role == ElectionRole.Leader && leader != _self)
        {
            // Two coordinators in one term cannot happen under Raft's rules; refuse rather than follow.
            ConflictingLeaders++;
            return false;
        }

        if (term > CurrentTerm)
        {
            AdoptTerm(term, nowUs);
        }

        NoteContact(leader, nowUs);
        _lastLeaderContactUs = nowUs;
        _leaderLost = false;
        if (Role != ElectionRole.Observer)
        {
            Role = ElectionRole.Follower;
            _roundDeadlineUs = long.MaxValue;
            ClearElectionTimer();
        }

        CopyAlternates(alternates);
        if (Leader != leader)
        {
            Leader = leader;
            _output.OnLeaderChanged(leader, CurrentTerm);
        }

        return true;
    }

    /// <summary>Number of heartbeats refused because another node claimed this node's own term as coordinator.</summary>
    public long ConflictingLeaders { get; private set; }

    /// <summary>Any datagram from <paramref name="member"/> (its heartbeat, an answer): counts for CheckQuorum.</summary>
    public void OnMemberContact(NodeId member, long nowUs) => NoteContact(member, nowUs);

    /// <summary>A (pre-)vote request from <paramref name="candidate"/>. Answers through the output, after persisting any vote.</summary>
    public void OnVoteRequest(NodeId candidate, in VoteRequest request, long nowUs)
    {
        if (Role == ElectionRole.Observer || candidate == _self)
        {
            return; // observers never vote
        }

        bool candidateIsVoter = IsInRoster(candidate);
        // The lease scales like the timeout: a voter on the slow group beat judges ordinary candidates by as many group
        // periods, but a named alternate (which hears the fast beat) by the fast lease, so that failover stays fast.
        long lease = Scaled(_options.LeaseUs, IsNamedAlternate || Alternates.IndexOf(candidate) >= 0);
        bool inLease = Role == ElectionRole.Leader
            || (Leader.IsValid && !_leaderLost && nowUs - _lastLeaderContactUs < lease);
        bool upToDate = _log.IsAtLeastAsUpToDate(request.LastLogTerm, request.LastLogIndex);

        if (request.PreVote)
        {
            bool grant = candidateIsVoter && !inLease && upToDate && request.Term > CurrentTerm;
            _output.SendVoteResponse(candidate, new VoteResponse(grant ? request.Term : Math.Max(CurrentTerm, 1), grant, PreVote: true));
            return;
        }

        if (!candidateIsVoter || inLease || request.Term < CurrentTerm)
        {
            if (CurrentTerm > 0)
            {
                _output.SendVoteResponse(candidate, new VoteResponse(CurrentTerm, false, PreVote: false));
            }

            return;
        }

        if (request.Term > CurrentTerm)
        {
            AdoptTerm(request.Term, nowUs);
        }

        bool granted = upToDate && (!VotedFor.IsValid || VotedFor == candidate);
        if (granted && VotedFor != candidate)
        {
            VotedFor = candidate;
            _store.Save(new PersistentVote(CurrentTerm, candidate)); // durable before the answer leaves
        }

        if (granted)
        {
            // Granting a vote restarts the election timer (Raft), so this voter does not stand against the candidate.
            ScheduleFullElection(nowUs + _options.LeaderTimeoutUs, alternatesAhead: 0);
        }

        _output.SendVoteResponse(candidate, new VoteResponse(CurrentTerm, granted, PreVote: false));
    }

    /// <summary>An answer to this node's (pre-)vote request.</summary>
    public void OnVoteResponse(NodeId voter, in VoteResponse response, long nowUs)
    {
        int position = RosterPosition(voter);
        if (position < 0)
        {
            return;
        }

        NoteContact(voter, nowUs);
        if (!response.PreVote && response.Term > CurrentTerm)
        {
            AdoptTerm(response.Term, nowUs);
            return;
        }

        bool counts = response.PreVote
            ? Role == ElectionRole.PreCandidate && response.Term == _roundTerm
            : Role == ElectionRole.Candidate && response.Term == CurrentTerm;
        if (!counts || !response.Granted || _granted is null || _granted[position])
        {
            return;
        }

        _granted[position] = true;
        _grants++;
        if (_grants < Quorum)
        {
            return;
        }

        if (Role == ElectionRole.PreCandidate)
        {
            StartElection(nowUs);
        }
        else
        {
            BecomeLeader(nowUs);
        }
    }

    /// <summary>Runs the timers: standing for election, round timeouts, CheckQuorum.</summary>
    public void Tick(long nowUs)
    {
        switch (Role)
        {
            case ElectionRole.Observer:
                return;
            case ElectionRole.Leader:
                if (nowUs >= _nextQuorumCheckUs)
                {
                    if (HearsQuorum(nowUs))
                    {
                        _nextQuorumCheckUs = nowUs + Math.Max(CheckQuorumWindowUs / 4, 1);
                    }
                    else
                    {
                        QuorumLossStepDowns++;
                        Leader = NodeId.None;
                        BecomeFollower(nowUs);
                        _output.OnLeaderChanged(NodeId.None, CurrentTerm);
                    }
                }

                return;
            case ElectionRole.PreCandidate:
            case ElectionRole.Candidate:
                if (nowUs >= _roundDeadlineUs)
                {
                    // The round failed: back off (random, so that competing candidates separate) and try again.
                    Role = ElectionRole.Follower;
                    _roundDeadlineUs = long.MaxValue;
                    ScheduleFullElection(nowUs + (long)(_random.NextDouble() * _options.ElectionBaseUs), alternatesAhead: 0);
                }

                return;
        }

        if (!_leaderLost && nowUs - _lastLeaderContactUs >= FollowerTimeoutUs)
        {
            LoseLeader(nowUs);
        }

        if (nowUs >= ElectionDeadlineUs)
        {
            StartRound(nowUs);
        }
    }

    private void LoseLeader(long nowUs)
    {
        _leaderLost = true;
        long lostAt = _lastLeaderContactUs + FollowerTimeoutUs;
        NodeId previous = Leader;
        Leader = NodeId.None;
        if (previous.IsValid)
        {
            _output.OnLeaderChanged(NodeId.None, CurrentTerm);
        }

        int myAlternate = _options.UseAlternates ? Alternates.IndexOf(_self) : -1;
        if (myAlternate >= 0)
        {
            ClearElectionTimer();
            _electionDeadlineUs = lostAt + (myAlternate * _options.AlternateDelayUs);
            return;
        }

        // Plain Raft counts its randomized timeout from the last contact, not from the loss.
        ScheduleFullElection(_options.UseRanking ? lostAt : _lastLeaderContactUs, _options.UseAlternates ? _alternateCount : 0);
    }

    private void ScheduleFullElection(long fromUs, int alternatesAhead)
    {
        ClearElectionTimer();
        if (!_options.UseRanking)
        {
            _electionDeadlineUs = fromUs + (alternatesAhead * _options.AlternateDelayUs) + PlainTimeout();
            return;
        }

        _fullFromUs = fromUs;
        _fullAhead = alternatesAhead;
        _fullJitterUs = (long)(_random.NextDouble() * (_options.RankStaggerUs / 4));
        _fullRandomSlots = _options.MaxStaggeredRanks + (long)(_random.NextDouble() * _options.MaxStaggeredRanks);
    }

    private void ClearElectionTimer()
    {
        _electionDeadlineUs = long.MaxValue;
        _fullFromUs = long.MaxValue;
    }

    private void StartRound(long nowUs)
    {
        _granted ??= new bool[_roster.Length];
        Array.Clear(_granted);
        _grants = 0;
        ClearElectionTimer();
        _roundDeadlineUs = nowUs + _options.RoundTimeoutUs;
        if (!_options.UsePreVote)
        {
            StartElection(nowUs);
            return;
        }

        Role = ElectionRole.PreCandidate;
        _roundTerm = CurrentTerm + 1;
        _granted[_selfPosition] = true;
        _grants = 1;
        if (_grants >= Quorum)
        {
            StartElection(nowUs);
            return;
        }

        _output.BroadcastVoteRequest(new VoteRequest(_roundTerm, _log.LastIndex, _log.LastTerm, PreVote: true));
    }

    private void StartElection(long nowUs)
    {
        Role = ElectionRole.Candidate;
        CurrentTerm++;
        VotedFor = _self;
        _store.Save(new PersistentVote(CurrentTerm, _self)); // durable before the request leaves
        ElectionsStarted++;
        Leader = NodeId.None;
        _granted ??= new bool[_roster.Length];
        Array.Clear(_granted);
        _granted[_selfPosition] = true;
        _grants = 1;
        _roundDeadlineUs = nowUs + _options.RoundTimeoutUs;
        if (_grants >= Quorum)
        {
            BecomeLeader(nowUs);
            return;
        }

        _output.BroadcastVoteRequest(new VoteRequest(CurrentTerm, _log.LastIndex, _log.LastTerm, PreVote: false));
    }

    private void BecomeLeader(long nowUs)
    {
        Role = ElectionRole.Leader;
        Leader = _self;
        _leaderLost = false;
        _lastLeaderContactUs = nowUs;
        _roundDeadlineUs = long.MaxValue;
        ClearElectionTimer();
        _leaderSinceUs = nowUs;
        _nextQuorumCheckUs = nowUs + CheckQuorumWindowUs;
        _alternateCount = 0;

        // Everyone who voted was just heard; CheckQuorum starts a fresh window.
        _lastContactUs ??= new long[_roster.Length];
        for (int i = 0; i < _lastContactUs.Length; i++)
        {
            _lastContactUs[i] = Math.Max(_lastContactUs[i], nowUs);
        }

        _output.OnLeaderChanged(_self, CurrentTerm);
    }

    private void BecomeFollower(long nowUs)
    {
        Role = ElectionRole.Follower;
        _roundDeadlineUs = long.MaxValue;
        _leaderSinceUs = long.MinValue;
        _nextQuorumCheckUs = long.MaxValue;
        _leaderLost = true;
        ScheduleFullElection(nowUs, alternatesAhead: 0);
    }

    private void AdoptTerm(ulong term, long nowUs)
    {
        CurrentTerm = term;
        VotedFor = NodeId.None;
        _store.Save(new PersistentVote(term, NodeId.None));
        if (Role is ElectionRole.PreCandidate or ElectionRole.Candidate or ElectionRole.Leader)
        {
            BecomeFollower(nowUs);
        }

        if (Leader.IsValid)
        {
            Leader = NodeId.None;
            _output.OnLeaderChanged(NodeId.None, term);
        }
    }

    private bool HearsQuorum(long nowUs)
    {
        int heard = 0;
        long since = nowUs - CheckQuorumWindowUs;
        for (int i = 0; i < _roster.Length; i++)
        {
            if (i == _selfPosition || (_lastContactUs is not null && _lastContactUs[i] >= since))
            {
                heard++;
            }
        }

        return heard >= Quorum;
    }

    private void NoteContact(NodeId member, long nowUs)
    {
        if (_lastContactUs is null)
        {
            return; // only candidates and coordinators keep contact times
        }

        int position = RosterPosition(member);
        if (position >= 0 && nowUs > _lastContactUs[position])
        {
            _lastContactUs[position] = nowUs;
        }
    }

    private long Scaled(long fastUs, bool hearsFastBeat)
    {
        long fast = _options.CoordinatorHeartbeatPeriodUs;
        long group = CoordinatorGroupPeriodUs;
        return hearsFastBeat || group <= fast ? fastUs : (long)((double)fastUs * group / fast);
    }

    private long PlainTimeout() =>
        _options.PlainElectionTimeoutUs + (long)(_random.NextDouble() * _options.PlainElectionTimeoutUs);

    private void CopyAlternates(ReadOnlySpan<NodeId> alternates)
    {
        int n = Math.Min(alternates.Length, _options.Alternates);
        alternates[..n].CopyTo(_alternates);
        _alternateCount = n;
    }

    private int RosterPosition(NodeId node)
    {
        int lo = 0, hi = _roster.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            uint v = _roster[mid].Value;
            if (v == node.Value)
            {
                return mid;
            }

            if (v < node.Value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }
}
