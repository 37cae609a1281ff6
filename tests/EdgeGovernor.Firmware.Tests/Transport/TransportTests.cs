using System.Net;
using System.Net.Sockets;
using EdgeGovernor.Firmware.Transport;

namespace EdgeGovernor.Firmware.Tests.Transport;

public sealed class TransportTests
{
    /// <summary>A fresh loopback group and port per test so parallel tests never hear each other.</summary>
    internal static (IPAddress Group, int Port) FreshGroup()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        int id = Random.Shared.Next(1, 65000);
        return (new IPAddress([239, 77, (byte)(id >> 8), (byte)id]), port);
    }

    private static UdpTransport Open(IPAddress group, int port, int slots = 256) =>
        new(new UdpTransportOptions(group, port, IPAddress.Loopback, 0, QueueSlots: slots));

    private sealed class Collector : IDatagramConsumer
    {
        public List<(byte[] Data, IPEndPoint From, bool Multicast)> Got { get; } = [];

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source, bool multicast) =>
            Got.Add((datagram.ToArray(), (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(source), multicast));
    }

    private static void Pump(UdpTransport t, IDatagramConsumer c, Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30); // hang guard only
        while (!done() && DateTime.UtcNow < deadline)
        {
            t.WaitForData(100);
            t.Drain(c);
        }
    }

    [Fact]
    public void Multicast_reaches_every_member_from_the_senders_unicast_endpoint_but_not_the_sender()
    {
        var (group, port) = FreshGroup();
        using UdpTransport a = Open(group, port);
        using UdpTransport b = Open(group, port);
        using UdpTransport c = Open(group, port);
        a.Start();
        b.Start();
        c.Start();
        var atA = new Collector();
        var atB = new Collector();
        var atC = new Collector();

        Assert.True(a.SendToGroup("hello group"u8));
        Pump(b, atB, () => atB.Got.Count >= 1);
        Pump(c, atC, () => atC.Got.Count >= 1);
        Assert.Equal("hello group"u8.ToArray(), atB.Got[0].Data);
        Assert.True(atB.Got[0].Multicast);
        Assert.Equal(a.LocalEndPoint, atB.Got[0].From);
        Assert.Equal(a.LocalEndPoint, atC.Got[0].From);

        // The learned source answers by unicast.
        var map = new PeerEndpointMap();
        Assert.True(map.Learn(1, atB.Got[0].From.Serialize()));
        Assert.False(map.Learn(1, atB.Got[0].From.Serialize()));
        Assert.True(map.TryGet(1, out SocketAddress back));
        Assert.True(b.SendTo("hello a"u8, back));
        Pump(a, atA, () => atA.Got.Count >= 1);
        Assert.Equal("hello a"u8.ToArray(), atA.Got[0].Data);
        Assert.False(atA.Got[0].Multicast);
        Assert.Equal(b.LocalEndPoint, atA.Got[0].From);

        // a's own multicast, looped back, was dropped in the kernel (BPF filter) and not counted as a queue drop.
        Assert.True(a.OwnMulticastFilteredInKernel);
        Assert.True(a.SendToGroup("again"u8));
        Pump(b, atB, () => atB.Got.Count >= 2);
        Assert.Equal(0, a.Drain(atA));
        Assert.Equal(0, a.OwnDropped);
        Assert.DoesNotContain(atA.Got, g => g.Multicast);
        Assert.Equal(0, a.QueueDrops);
        Assert.Equal(0, b.QueueDrops);
    }

    [Fact]
    public void Drain_takes_more_datagrams_than_slots_in_order_and_respects_max()
    {
        var (group, port) = FreshGroup();
        using UdpTransport sender = Open(group, port);
        using UdpTransport receiver = Open(group, port, slots: 16);
        for (int i = 0; i < 200; i++)
        {
            Assert.True(sender.SendToGroup([(byte)i, 1, 2, 3]));
        }
        var got = new Collector();
        var deadline = DateTime.UtcNow.AddSeconds(30); // hang guard only
        while (got.Got.Count < 200 && DateTime.UtcNow < deadline)
        {
            receiver.WaitForData(100);
            int n = receiver.Drain(got, 40);
            Assert.InRange(n, 0, 40);
        }
        Assert.Equal(200, got.Got.Count);
        Assert.Equal(200, receiver.DatagramsReceived);
        Assert.All(got.Got, g => Assert.Equal(sender.LocalEndPoint, g.From));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (byte)i), got.Got.Select(g => g.Data[0]));
    }

    [Fact]
    public void Batched_sends_are_held_until_flushed_or_the_wait_and_leave_in_order()
    {
        var (group, port) = FreshGroup();
        using UdpTransport sender = Open(group, port);
        using UdpTransport receiver = Open(group, port);
        var got = new Collector();

        sender.BeginBatch();
        const int Slots = UdpTransport.SendBatchSlots;
        for (int i = 0; i < Slots + 22; i++) // more than one sendmmsg batch: the first ones leave when the batch fills
        {
            Assert.True(sender.SendToGroup([(byte)i, (byte)(i >> 8)]));
        }
        Assert.Equal(Slots, sender.DatagramsSent);
        Assert.Equal(22, sender.FlushSends());
        Assert.Equal(Slots + 22, sender.DatagramsSent);
        Pump(receiver, got, () => got.Got.Count >= Slots + 22);
        Assert.Equal(Enumerable.Range(0, Slots + 22), got.Got.Select(g => g.Data[0] | (g.Data[1] << 8)));

        // Held sends leave when the loop waits; a send from another thread is never held.
        sender.BeginBatch();
        Assert.True(sender.SendTo("held"u8, receiver.LocalEndPoint.Serialize()));
        var other = new Thread(() => sender.SendTo("other thread"u8, receiver.LocalEndPoint.Serialize()));
        other.Start();
        other.Join();
        Assert.Equal(Slots + 23, sender.DatagramsSent);
        sender.WaitForData(0);
        Assert.Equal(Slots + 24, sender.DatagramsSent);
        Pump(receiver, got, () => got.Got.Count >= Slots + 24);
        Assert.Equal(["other thread", "held"], got.Got.Skip(Slots + 22).Select(g => System.Text.Encoding.UTF8.GetString(g.Data)));
        Assert.All(got.Got.Skip(Slots + 22), g => Assert.False(g.Multicast));

        // After the wait nothing is held any more.
        Assert.True(sender.SendToGroup([7]));
        Assert.Equal(Slots + 25, sender.DatagramsSent);
        Assert.Equal(0, sender.SendErrors);
    }

    [Fact]
    public void Kernel_drops_of_a_full_receive_buffer_are_counted_exactly_and_own_filtered_multicast_is_not()
    {
        var (group, port) = FreshGroup();
        using UdpTransport sender = Open(group, port);
        using UdpTransport receiver = Open(group, port, slots: 64);
        for (int i = 0; i < 50; i++)
        {
            receiver.SendToGroup(new byte[100]); // filtered at the receiver's own multicast socket: not a drop
        }
        // Nobody drains while 20,000 datagrams of 1,000 bytes arrive: the 4 MiB receive buffer overflows.
        byte[] big = new byte[1000];
        for (int i = 0; i < 20_000; i++)
        {
            sender.SendToGroup(big);
        }
        var got = new CountingConsumer();
        Pump(receiver, got, () => receiver.WaitForData(0) is false && receiver.Drain(got) == 0);
        long queued = got.Count;
        Assert.InRange(queued, 1, 19_999);
        // The kernel reports its drop counter with the next datagram it queues.
        Assert.True(sender.SendToGroup(big));
        Pump(receiver, got, () => got.Count > queued);
        Assert.Equal(sender.DatagramsSent - got.Count, receiver.QueueDrops);
        Assert.Equal(20_001 - got.Count, receiver.QueueDrops);
    }

    [Fact]
    public void A_datagram_too_large_for_a_slot_is_counted_and_not_delivered()
    {
        var (group, port) = FreshGroup();
        using UdpTransport sender = Open(group, port);
        using UdpTransport receiver = Open(group, port);
        Assert.True(sender.SendToGroup(new byte[3000]));
        Assert.True(sender.SendToGroup("small"u8));
        var got = new Collector();
        Pump(receiver, got, () => got.Got.Count >= 1);
        Assert.Equal("small"u8.ToArray(), Assert.Single(got.Got).Data);
        Assert.Equal(1, receiver.ReceiveErrors);
    }

    [Fact]
    public void Steady_state_receive_drain_and_send_allocate_nothing()
    {
        var (group, port) = FreshGroup();
        using UdpTransport sender = Open(group, port);
        using UdpTransport receiver = Open(group, port, slots: 1024);
        sender.Start();
        receiver.Start();
        var counter = new CountingConsumer();
        byte[] payload = new byte[64];

        long sent = 0;
        void Round(int batches)
        {
            // Batches of 64 small datagrams, each received before the next is sent: no kernel drops.
            var deadline = DateTime.UtcNow.AddSeconds(60); // hang guard only
            for (int b = 0; b < batches && DateTime.UtcNow < deadline; b++)
            {
                if (b % 2 == 1)
                {
                    sender.BeginBatch(); // every other round through sendmmsg
                }
                for (int i = 0; i < 64; i++)
                {
                    sender.SendToGroup(payload);
                }
                sender.FlushSends();
                sent += 64;
                while (counter.Count < sent && DateTime.UtcNow < deadline)
                {
                    receiver.WaitForData(10);
                    receiver.Drain(counter);
                }
            }
        }

        Round(50); // warm up: JIT, lazy socket state, first-use allocations

        // Windows of 6,400 datagrams. Receiving (poll, recvmmsg), draining and sending all run on this thread.
        AllocationAssert.NothingInSteadyState("6,400 datagrams", _ => Round(100));

        Assert.Equal((50 + (100 * AllocationAssert.Windows)) * 64, counter.Count);
        Assert.Equal(0, receiver.QueueDrops);
    }

    private sealed class CountingConsumer : IDatagramConsumer
    {
        public long Count { get; private set; }

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress source, bool multicast) => Count++;
    }

    [Fact]
    public async Task Wake_interrupts_a_wait()
    {
        var (group, port) = FreshGroup();
        using UdpTransport t = Open(group, port);
        t.Start();
        var waiter = Task.Run(() => t.WaitForData(60_000));
        await Task.Delay(50);
        t.Wake();
        await waiter.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Dispose_frees_the_ports_and_later_calls_do_nothing()
    {
        var (group, port) = FreshGroup();
        UdpTransport t = Open(group, port);
        t.Start();
        int unicast = t.LocalEndPoint.Port;
        t.Dispose();
        using var again = new UdpTransport(new UdpTransportOptions(group, port, IPAddress.Loopback, unicast));
        Assert.Equal(unicast, again.LocalEndPoint.Port);
        Assert.False(t.SendToGroup([1]));
        Assert.False(t.WaitForData(0));
        Assert.Equal(0, t.Drain(new CountingConsumer()));
        t.Wake();
    }
}
