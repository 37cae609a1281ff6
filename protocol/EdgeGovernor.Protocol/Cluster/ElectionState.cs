using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// Raft's election (terms, one persisted vote per term, log up-to-dateness, PreVote, CheckQuorum) combined with
/// PARMCEA's ranking and ready alternates. Sans-IO: time and randomness are passed in; every call that can change
/// something returns its <see cref="ElectionEffects"/> (messages to send, leader changes with their time) for the owner
/// to apply after the call; the vote is persisted through <see cref="IVoteStore"/> before the call returns.
/// The term has one owner: this class (kept with the vote in <see cref="TermGuard"/>). Allocation-free after
/// construction (the per-voter tables of <see cref="VoteTally"/> and <see cref="QuorumCheck"/> are allocated at the
/// first round and leadership).
/// </summary>
/// <remarks>
/// <para>Timers. A follower considers the coordinator lost <see cref="ElectionOptions.LeaderTimeoutUs"/> after it last
/// heard it. Alternate i (named in the coordinator's heartbeats) then stands after (i - 1) ×
/// <see cref="ElectionOptions.AlternateDelayUs"/>; any other voter waits until the alternates' slots are over plus
/// <see cref="ElectionOptions.ElectionBaseUs"/> + rank × <see cref="ElectionOptions.RankStaggerUs"/> (rank = its position
/// in the PARMCEA succession order), so the full election runs only when no alternate succeeded
/// (<see cref="ElectionTimer"/>). A cold start is a full election measured from start-up. Plain Raft (ranking and
/// alternates off) draws timeouts from [T, 2T].</para>
/// <para>Safety. Quorum is a majority of the configured roster (<see cref="VoterRoster"/>). A voter grants at most one
/// vote per term and saves it before answering; it refuses a candidate whose price log is less up to date, and refuses
/// any (pre-)vote while it heard a coordinator within <see cref="ElectionOptions.LeaseUs"/>. A coordinator that has not
/// heard a quorum of the roster within <see cref="CheckQuorumWindowUs"/> steps down (<see cref="QuorumCheck"/>).</para>
/// <para>Liveness. A node can end up one term ahead of the cluster (it stood in a term while the others elected in
/// the one before: a slow start). The lease then makes the others refuse it and it refuses the coordinator's lower
/// term, so it would never rejoin, and after the coordinator's loss the others' pre-votes for the term it holds would
/// never be granted. Two rules undo this: a node that hears a coordinator of an older term answers it with its own term
/// (the coordinator adopts it and steps down, once), and a pre-candidate adopts the higher term of a refused
/// pre-vote.</para>
/// </remarks>
public sealed class ElectionState
{
    private readonly NodeId _self;
    private readonly ElectionOptions _options;
    private readonly IRandomSource _random;
    private readonly PriceLog _log;
    private readonly VoterRoster _roster;
    private readonly VoteTally _tally;
    private readonly QuorumCheck _quorumCheck;
    private readonly ElectionTimer _timer;
    private readonly TermGuard _terms;
    private readonly CoordinatorWatch _watch;
    private readonly int _selfPosition;          // -1 for an observer
    private ElectionEffects _effects;            // what the current call asks for
    private ulong _roundTerm;
    private long _roundDeadlineUs = long.MaxValue;
    private long _staleNoticeDueUs;

    /// <summary>Creates the state, restoring term and vote from <paramref name="store"/>, as a follower (or observer).</summary>
    /// <param name="self">This node.</param>
    /// <param name="roster">The voters (configured roster). Must not be empty; duplicates are rejected.</param>
    /// <param name="options">Timers and switches.</param>
    /// <param name="store">Durable term and vote.</param>
    /// <param name="random">Randomness (jitter, plain Raft's timeouts).</param>
    /// <param name="log">This node's price log (for the up-to-dateness rule).</param>
    public ElectionState(NodeId self, ReadOnlySpan<NodeId> roster, ElectionOptions options, IVoteStore store, IRandomSource random, PriceLog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        if (!self.IsValid)
        {
            throw new ArgumentException("The local node id must not be 0.", nameof(self));
        }

        _roster = new VoterRoster(roster);
        _self = self;
        _options = options;
        _random = random;
        _log = log;
        _tally = new VoteTally(_roster.Count);
        _quorumCheck = new QuorumCheck(_roster.Count, options.CheckQuorumWindowUs);
        _timer = new ElectionTimer(options, random);
        _watch = new CoordinatorWatch(self, options);
        _selfPosition = _roster.PositionOf(self);
        _terms = new TermGuard(store);
        Role = _selfPosition < 0 ? ElectionRole.Observer : ElectionRole.Follower;
    }

    /// <summary>This node's role.</summary>
    public ElectionRole Role { get; private set; }

    /// <summary>The latest term seen (persisted).</summary>
    public ulong CurrentTerm => _terms.Current;

    /// <summary>The vote cast in <see cref="CurrentTerm"/> (persisted), or none.</summary>
    public NodeId VotedFor => _terms.VotedFor;

    /// <summary>The term and vote with their rules: the step limit, the ceiling and their counters.</summary>
    internal TermGuard Terms => _terms;

    /// <summary>The coordinator this node follows (itself when leader), or none.</summary>
    public NodeId Leader { get; private set; }

    /// <summary>True when this node is in the roster.</summary>
    public bool IsVoter => _selfPosition >= 0;

    /// <summary>A majority of the roster.</summary>
    public int Quorum => _roster.Quorum;

    /// <summary>The configured roster, sorted by id.</summary>
    public ReadOnlySpan<NodeId> Roster => _roster.Ids;

    /// <summary>The alternates named by the coordinator's last heartbeat (or chosen by this node when it leads).</summary>
    public ReadOnlySpan<NodeId> Alternates => _watch.Alternates;

    /// <summary>This node's 0-based position in the PARMCEA succession order; the owner keeps it current.</summary>
    public int SuccessionRank { get; set; }

    /// <summary>
    /// The period at which the coordinator multicasts its heartbeat to the group (announced in its heartbeats; the owner
    /// keeps it current). When it is slower than <see cref="ElectionOptions.CoordinatorHeartbeatPeriodUs"/>, only the
    /// named alternates hear the fast beat; everyone else waits as many group periods as the fast timeout has fast ones.
    /// </summary>
    public long CoordinatorGroupPeriodUs
    {
        get => _watch.GroupPeriodUs;
        set => _watch.GroupPeriodUs = value;
    }

    /// <summary>True when this node is one of the alternates the coordinator named last.</summary>
    public bool IsNamedAlternate => _watch.IsNamedAlternate;

    /// <summary>
    /// How long this follower waits without hearing the coordinator: <see cref="ElectionOptions.LeaderTimeoutUs"/> for a
    /// named alternate (it hears the fast beat), scaled by group period / fast period for everyone else.
    /// </summary>
    public long FollowerTimeoutUs => _watch.FollowerTimeoutUs;

    /// <summary>CheckQuorum's window; the owner raises it to cover the members' heartbeat period.</summary>
    public long CheckQuorumWindowUs
    {
        get => _quorumCheck.WindowUs;
        set => _quorumCheck.WindowUs = value;
    }

    /// <summary>Number of elections this node started (real vote rounds, not pre-votes).</summary>
    public long ElectionsStarted { get; private set; }

    /// <summary>Number of times this node stepped down because CheckQuorum failed.</summary>
    public long QuorumLossStepDowns { get; private set; }

    /// <summary>Number of times this node told a coordinator of an older term its own, higher term (so that it steps down).</summary>
    public long StaleCoordinatorNotices { get; private set; }

    /// <summary>Number of heartbeats refused because another node claimed this node's own term as coordinator.</summary>
    public long ConflictingLeaders { get; private set; }

    /// <summary>When the next timer fires (<see cref="long.MaxValue"/>: none).</summary>
    public long NextDeadlineUs => Role switch
    {
        ElectionRole.Observer => long.MaxValue,
        ElectionRole.Leader => _quorumCheck.NextCheckUs,
        ElectionRole.Follower => Math.Min(ElectionDeadlineUs, _watch.Lost ? long.MaxValue : _watch.LastContactUs + FollowerTimeoutUs),
        _ => _roundDeadlineUs,
    };

    /// <summary>When this follower will stand for election (<see cref="long.MaxValue"/>: not scheduled). Follows
    /// <see cref="SuccessionRank"/> as the owner updates it.</summary>
    public long ElectionDeadlineUs => _timer.DeadlineUs(SuccessionRank);

    /// <summary>Starts the timers: a cold start waits for a full election's slot (nobody is configured as leader).</summary>
    public void Start(long nowUs)
    {
        _watch.Forget();
        if (IsVoter)
        {
            _timer.ScheduleFull(nowUs, alternatesAhead: 0);
        }
    }

    /// <summary>Is <paramref name="node"/> one of the voters?</summary>
    public bool IsInRoster(NodeId node) => _roster.Contains(node);

    /// <summary>Sets the alternates this node names in its heartbeats while it leads (the owner ranks them with <see cref="Parmcea.TopK"/>).</summary>
    public void SetOwnAlternates(ReadOnlySpan<NodeId> alternates)
    {
        if (Role == ElectionRole.Leader)
        {
            _watch.SetAlternates(alternates);
        }
    }

    /// <summary>
    /// The coordinator's heartbeat (or first price record) of <paramref name="term"/> arrived from <paramref name="leader"/>.
    /// Returns false when it is stale (lower term) and must be ignored; <paramref name="effects"/> holds the leader changes.
    /// </summary>
    public bool OnCoordinatorHeartbeat(NodeId leader, ulong term, ReadOnlySpan<NodeId> alternates, long nowUs, out ElectionEffects effects)
    {
        _effects.Clear();
        bool accepted = AcceptCoordinator(leader, term, alternates, nowUs);
        effects = _effects;
        return accepted;
    }

    /// <summary>Any datagram from <paramref name="member"/> (its heartbeat, an answer): counts for CheckQuorum.</summary>
    public void OnMemberContact(NodeId member, long nowUs) => _quorumCheck.NoteContact(_roster.PositionOf(member), nowUs);

    /// <summary>A (pre-)vote request from <paramref name="candidate"/>. The answer is in the effects; any vote is persisted first.</summary>
    public ElectionEffects OnVoteRequest(NodeId candidate, in VoteRequestFrame request, long nowUs)
    {
        _effects.Clear();
        if (Role == ElectionRole.Observer || candidate == _self)
        {
            return _effects; // observers never vote
        }

        bool candidateIsVoter = IsInRoster(candidate);
        bool inLease = Role == ElectionRole.Leader
            || (Leader.IsValid && _watch.HeardWithin(nowUs, _watch.LeaseUs(candidate)));
        bool upToDate = _log.IsAtLeastAsUpToDate(request.LastLogTerm, request.LastLogIndex);

        if (request.PreVote)
        {
            bool grant = candidateIsVoter && !inLease && upToDate && request.Term > CurrentTerm && _terms.MayAdopt(request.Term);
            _effects.Add(ElectionEffect.Respond(candidate, new VoteResponseFrame(grant ? request.Term : Math.Max(CurrentTerm, 1), grant, PreVote: true, candidate)));
            return _effects;
        }

        if (!candidateIsVoter || inLease || request.Term < CurrentTerm || !_terms.MayAdopt(request.Term))
        {
            if (CurrentTerm > 0)
            {
                _effects.Add(ElectionEffect.Respond(candidate, new VoteResponseFrame(CurrentTerm, false, PreVote: false, candidate)));
            }

            return _effects;
        }

        if (request.Term > CurrentTerm)
        {
            AdoptTerm(request.Term, nowUs);
        }

        bool granted = upToDate && (!VotedFor.IsValid || VotedFor == candidate);
        if (granted && VotedFor != candidate)
        {
            _terms.Vote(candidate); // durable before the answer leaves
        }

        if (granted)
        {
            // Granting a vote restarts the election timer (Raft), so this voter does not stand against the candidate.
            _timer.ScheduleFull(nowUs + _options.LeaderTimeoutUs, alternatesAhead: 0);
        }

        _effects.Add(ElectionEffect.Respond(candidate, new VoteResponseFrame(CurrentTerm, granted, PreVote: false, candidate)));
        return _effects;
    }

    /// <summary>An answer to this node's (pre-)vote request.</summary>
    public ElectionEffects OnVoteResponse(NodeId voter, in VoteResponseFrame response, long nowUs)
    {
        _effects.Clear();
        int position = _roster.PositionOf(voter);
        if (position < 0)
        {
            return _effects;
        }

        _quorumCheck.NoteContact(position, nowUs);
        // A higher term in a vote answer, or in a refused pre-vote (the voter is ahead of this node), is adopted: a
        // pre-candidate that kept asking for a term the voters already passed would never be granted one. A granted
        // pre-vote carries the term asked for, which is not adopted (PreVote never moves the term by itself).
        if (response.Term > CurrentTerm && (!response.PreVote || !response.Granted))
        {
            if (_terms.MayAdopt(response.Term))
            {
                AdoptTerm(response.Term, nowUs);
            }

            return _effects;
        }

        bool counts = response.PreVote
            ? Role == ElectionRole.PreCandidate && response.Term == _roundTerm
            : Role == ElectionRole.Candidate && response.Term == CurrentTerm;
        if (!counts || !response.Granted || !_tally.TryGrant(position) || _tally.Grants < Quorum)
        {
            return _effects;
        }

        if (Role == ElectionRole.PreCandidate)
        {
            StartElection(nowUs);
        }
        else
        {
            BecomeLeader(nowUs);
        }

        return _effects;
    }

    /// <summary>Runs the timers: standing for election, round timeouts, CheckQuorum.</summary>
    public ElectionEffects Tick(long nowUs)
    {
        _effects.Clear();
        switch (Role)
        {
            case ElectionRole.Observer:
                break;
            case ElectionRole.Leader:
                if (nowUs >= _quorumCheck.NextCheckUs && !_quorumCheck.Passes(nowUs, _selfPosition, Quorum))
                {
                    QuorumLossStepDowns++;
                    Leader = NodeId.None;
                    BecomeFollower(nowUs);
                    _effects.Add(ElectionEffect.LeaderChange(NodeId.None, CurrentTerm, nowUs));
                }

                break;
            case ElectionRole.PreCandidate:
            case ElectionRole.Candidate:
                if (nowUs >= _roundDeadlineUs)
                {
                    // The round failed: back off (random, so that competing candidates separate) and try again.
                    Role = ElectionRole.Follower;
                    _roundDeadlineUs = long.MaxValue;
                    _timer.ScheduleFull(nowUs + (long)(_random.NextDouble() * _options.ElectionBaseUs), alternatesAhead: 0);
                }

                break;
            default:
                if (!_watch.Lost && nowUs - _watch.LastContactUs >= FollowerTimeoutUs)
                {
                    LoseLeader(nowUs);
                }

                if (nowUs >= ElectionDeadlineUs)
                {
                    StartRound(nowUs);
                }

                break;
        }

        return _effects;
    }

    private bool AcceptCoordinator(NodeId leader, ulong term, ReadOnlySpan<NodeId> alternates, long nowUs)
    {
        if (leader == _self)
        {
            return true;
        }

        if (term < CurrentTerm && IsInRoster(leader) && Role != ElectionRole.Observer && nowUs >= _staleNoticeDueUs)
        {
            // A coordinator of an older term while this node is ahead of it (it stood in a term the cluster never
            // adopted: the lease makes the others refuse its requests, and it refuses the coordinator's lower term).
            // Neither side would ever move, so tell the coordinator this node's term: it adopts it and steps down, and
            // the next election includes this node (as etcd answers a lower-term leader). At most once a round.
            _staleNoticeDueUs = nowUs + _options.RoundTimeoutUs;
            StaleCoordinatorNotices++;
            _effects.Add(ElectionEffect.Respond(leader, new VoteResponseFrame(CurrentTerm, false, PreVote: false, leader)));
        }

        if (term < CurrentTerm || !IsInRoster(leader) || !_terms.MayAdopt(term))
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

        OnMemberContact(leader, nowUs);
        _watch.Heard(nowUs);
        if (Role != ElectionRole.Observer)
        {
            Role = ElectionRole.Follower;
            _roundDeadlineUs = long.MaxValue;
            _timer.Clear();
        }

        _watch.SetAlternates(alternates);
        if (Leader != leader)
        {
            Leader = leader;
            _effects.Add(ElectionEffect.LeaderChange(leader, CurrentTerm, nowUs));
        }

        return true;
    }

    private void LoseLeader(long nowUs)
    {
        _watch.MarkLost();
        long lostAt = _watch.LastContactUs + FollowerTimeoutUs;
        NodeId previous = Leader;
        Leader = NodeId.None;
        if (previous.IsValid)
        {
            _effects.Add(ElectionEffect.LeaderChange(NodeId.None, CurrentTerm, nowUs));
        }

        int myAlternate = _options.UseAlternates ? Alternates.IndexOf(_self) : -1;
        if (myAlternate >= 0)
        {
            _timer.ScheduleAt(lostAt + (myAlternate * _options.AlternateDelayUs));
            return;
        }

        // Plain Raft counts its randomized timeout from the last contact, not from the loss.
        _timer.ScheduleFull(_options.UseRanking ? lostAt : _watch.LastContactUs, _options.UseAlternates ? Alternates.Length : 0);
    }

    private void StartRound(long nowUs)
    {
        if (!_terms.TryStand())
        {
            // No term is left to stand in: say so (counted) and look again after a round, so this never spins.
            _timer.ScheduleFull(nowUs + _options.RoundTimeoutUs, alternatesAhead: 0);
            return;
        }

        _tally.StartRound();
        _timer.Clear();
        _roundDeadlineUs = nowUs + _options.RoundTimeoutUs;
        if (!_options.UsePreVote)
        {
            StartElection(nowUs);
            return;
        }

        Role = ElectionRole.PreCandidate;
        _roundTerm = _terms.Next;
        _tally.TryGrant(_selfPosition);
        if (_tally.Grants >= Quorum)
        {
            StartElection(nowUs);
            return;
        }

        _effects.Add(ElectionEffect.Broadcast(new VoteRequestFrame(_roundTerm, _log.LastIndex, _log.LastTerm, PreVote: true)));
    }

    private void StartElection(long nowUs)
    {
        Role = ElectionRole.Candidate;
        _terms.StandIn(_self); // durable before the request leaves; StartRound refused at the ceiling
        ElectionsStarted++;
        Leader = NodeId.None;
        _tally.StartRound();
        _tally.TryGrant(_selfPosition);
        _roundDeadlineUs = nowUs + _options.RoundTimeoutUs;
        if (_tally.Grants >= Quorum)
        {
            BecomeLeader(nowUs);
            return;
        }

        _effects.Add(ElectionEffect.Broadcast(new VoteRequestFrame(CurrentTerm, _log.LastIndex, _log.LastTerm, PreVote: false)));
    }

    private void BecomeLeader(long nowUs)
    {
        Role = ElectionRole.Leader;
        Leader = _self;
        _watch.Heard(nowUs);
        _roundDeadlineUs = long.MaxValue;
        _timer.Clear();
        _watch.ClearAlternates();
        _quorumCheck.Start(nowUs); // everyone who voted was just heard: a fresh window
        _effects.Add(ElectionEffect.LeaderChange(_self, CurrentTerm, nowUs));
    }

    private void BecomeFollower(long nowUs)
    {
        Role = ElectionRole.Follower;
        _roundDeadlineUs = long.MaxValue;
        _quorumCheck.Stop();
        _watch.MarkLost();
        _timer.ScheduleFull(nowUs, alternatesAhead: 0);
    }

    private void AdoptTerm(ulong term, long nowUs)
    {
        _terms.Adopt(term);
        if (Role is ElectionRole.PreCandidate or ElectionRole.Candidate or ElectionRole.Leader)
        {
            BecomeFollower(nowUs);
        }

        if (Leader.IsValid)
        {
            Leader = NodeId.None;
            _effects.Add(ElectionEffect.LeaderChange(NodeId.None, term, nowUs));
        }
    }
}
