using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests;

/// <summary>One datagram (or one component's tick) that makes a handler throw never stops the node.</summary>
public sealed class HandlerFaultTests
{
    private const MessageType Faulty = MessageType.ExtensionFirst;

    private sealed class ThrowingComponent : IProtocolComponent
    {
        public int Handled { get; private set; }

        public int Ticks { get; private set; }

        public bool ThrowOnTick { get; set; }

        public long NextDeadlineUs => long.MaxValue;

        public void OnDatagram(in MessageHeader header, ReadOnlySpan<byte> payload, long nowUs)
        {
            Handled++;
            if (payload.Length > 0 && payload[0] == 0xFF)
            {
                throw new ArgumentOutOfRangeException(nameof(payload), "a handler defect");
            }
        }

        public void Tick(long nowUs)
        {
            Ticks++;
            if (ThrowOnTick)
            {
                throw new InvalidOperationException("a tick defect");
            }
        }
    }

    [Fact]
    public void A_handler_that_throws_drops_that_datagram_counts_it_and_the_node_runs_on()
    {
        using ProtocolNode node = Datagrams.Receiver(TestKeys.Options(1));
        var component = new ThrowingComponent();
        node.RegisterMessageType(Faulty, component);

        ReceiveResult result = node.Receive(Datagrams.Craft(TestKeys.Key(1), sequence: 1, type: Faulty, payload: [0xFF]), 1_000);
        Assert.Equal(DropReason.HandlerFault, result.Drop);
        Assert.Equal(new NodeId(2), result.Sender);
        Assert.Equal(1, node.Counters.HandlerFaults);
        Assert.Equal(1, node.Counters.Dropped(DropReason.HandlerFault));
        Assert.Equal(Faulty, node.Counters.LastHandlerFaultType);
        Assert.IsType<ArgumentOutOfRangeException>(node.Counters.LastHandlerFault);

        // The next datagram is handled as usual, and so are the node's own timers.
        Assert.Equal(DropReason.None, node.Receive(Datagrams.Craft(TestKeys.Key(1), sequence: 2, type: Faulty, payload: [1]), 2_000).Drop);
        Assert.Equal(2, component.Handled);
        Assert.Equal(DropReason.None, node.Receive(Datagrams.Craft(TestKeys.Key(1), sequence: 3), 3_000).Drop);
        node.Tick(10_000_000);
        Assert.Equal(1, node.Counters.HandlerFaults);
    }

    [Fact]
    public void A_component_whose_tick_throws_is_counted_and_the_other_components_still_tick()
    {
        using ProtocolNode node = Datagrams.Receiver(TestKeys.Options(1));
        var bad = new ThrowingComponent { ThrowOnTick = true };
        var good = new ThrowingComponent();
        node.AddComponent(bad);
        node.AddComponent(good);

        node.Tick(1_000);
        node.Tick(2_000);
        Assert.Equal((2, 2), (bad.Ticks, good.Ticks));
        Assert.Equal(2, node.Counters.HandlerFaults);
        Assert.Equal(MessageType.None, node.Counters.LastHandlerFaultType);
        Assert.IsType<InvalidOperationException>(node.Counters.LastHandlerFault);
    }
}
