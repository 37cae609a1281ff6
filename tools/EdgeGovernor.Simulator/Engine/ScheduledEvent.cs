using EdgeGovernor.Simulator.Network;

namespace EdgeGovernor.Simulator.Engine;

/// <summary>
/// One entry of the virtual clock's agenda. Ordered by <see cref="TimeUs"/>, then by
/// <see cref="Sequence"/> (the order of scheduling), so that equal times resolve the same way in
/// every run.
/// </summary>
internal struct ScheduledEvent
{
    public long TimeUs;
    public long Sequence;
    public EventKind Kind;
    public int Node;
    public int Life;
    public int Argument;
    public PacketBuffer? Packet;

    public readonly bool PrecedesOrEquals(in ScheduledEvent other) =>
        TimeUs < other.TimeUs || (TimeUs == other.TimeUs && Sequence <= other.Sequence);
}
