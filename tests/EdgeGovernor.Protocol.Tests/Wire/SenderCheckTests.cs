using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Wire;

public class SenderCheckTests
{
    [Fact]
    public void Header_fields_own_datagrams_replays_and_the_sender_bound_are_checked_in_order()
    {
        var check = new SenderCheck(new NodeId(1), maxSenders: 1, windowSize: 64);
        var header = new MessageHeader(MessageType.Heartbeat, 1, new NodeId(2), 1, 0, 1, 0, 1);
        Assert.Equal(DropReason.InvalidHeader, check.Check(header with { Sender = NodeId.None }));
        Assert.Equal(DropReason.InvalidHeader, check.Check(header with { Sequence = 0 }));
        Assert.Equal(DropReason.InvalidHeader, check.Check(header with { Incarnation = 0 }));
        Assert.Equal(DropReason.InvalidHeader, check.Check(header with { Type = MessageType.None }));
        Assert.Equal(DropReason.InvalidHeader, check.Check(header with { Type = (MessageType)128 }));
        Assert.Equal(DropReason.OwnDatagram, check.Check(header with { Sender = new NodeId(1) }));

        Assert.Equal(DropReason.None, check.Check(header));
        Assert.Equal(DropReason.Replayed, check.Check(header));
        Assert.Equal(DropReason.None, check.Check(header with { Sequence = 2 }));
        Assert.Equal(DropReason.TooManySenders, check.Check(header with { Sender = new NodeId(3) }));
    }
}
