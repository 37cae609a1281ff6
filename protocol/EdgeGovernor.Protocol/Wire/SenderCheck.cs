namespace EdgeGovernor.Protocol.Wire;

/// <summary>
/// The receive checks after authentication: header fields a sender must set (sender, sequence and incarnation not 0,
/// a type of 1..127, a term of at most <see cref="WireLimits.MaxTerm"/>), our own looped-back datagrams, and replay, with one <see cref="ReplayWindow"/> per sender
/// (bounded by the sender table size; a sender beyond it is refused).
/// </summary>
internal sealed class SenderCheck
{
    private readonly NodeId _self;
    private readonly int _maxSenders;
    private readonly int _windowSize;
    private readonly Dictionary<NodeId, ReplayWindow> _replay = new();

    public SenderCheck(NodeId self, int maxSenders, int windowSize)
    {
        _self = self;
        _maxSenders = maxSenders;
        _windowSize = windowSize;
    }

    /// <summary>Checks an authenticated header; <see cref="DropReason.None"/> when accepted (its sequence is then recorded).</summary>
    public DropReason Check(in MessageHeader header)
    {
        if (!header.Sender.IsValid || header.Sequence == 0 || header.Incarnation == 0 || header.Type == MessageType.None || (byte)header.Type > (byte)MessageType.ExtensionLast
            || header.Term > WireLimits.MaxTerm)
        {
            return DropReason.InvalidHeader;
        }

        if (header.Sender == _self)
        {
            return DropReason.OwnDatagram;
        }

        if (!_replay.TryGetValue(header.Sender, out ReplayWindow? window))
        {
            if (_replay.Count >= _maxSenders)
            {
                return DropReason.TooManySenders;
            }

            window = new ReplayWindow(_windowSize);
            _replay.Add(header.Sender, window);
        }

        return window.TryAccept(header.Incarnation, header.Sequence) ? DropReason.None : DropReason.Replayed;
    }
}
