using System.Buffers.Binary;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Wire;

public sealed class WireCodecTests
{
    [Fact]
    public void Header_and_payload_round_trip_and_the_tag_verifies()
    {
        byte[] payload = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var header = new MessageHeader(MessageType.MulticastData, 0xA1B2C3D4, new NodeId(0x01020304), 0x1122334455667788, 42, 0x0102030405060708, 64, 1);
        byte[] datagram = new byte[WireCodec.MaxDatagram];
        int length = WireCodec.Encode(datagram, header, payload);
        Assert.Equal(WireCodec.Overhead + 64, length);
        using var keys = new KeyRing(TestKeys.Key(1));
        keys.Seal(datagram.AsSpan(0, length));

        Assert.Equal(DropReason.None, WireCodec.TryDecode(datagram.AsSpan(0, length), 0xA1B2C3D4, out MessageHeader decoded, out ReadOnlySpan<byte> body));
        Assert.Equal(header, decoded);
        Assert.True(body.SequenceEqual(payload));
        Assert.Equal(DropReason.None, keys.Verify(datagram.AsSpan(0, length)));

        // Network byte order, as in the diagram.
        Assert.Equal(0x4547, BinaryPrimitives.ReadUInt16BigEndian(datagram));
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(8)));
        Assert.Equal(64, BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(36)));
    }

    [Fact]
    public void Encode_refuses_oversized_payloads_and_small_buffers()
    {
        byte[] big = new byte[WireCodec.MaxPayload + 1];
        var header = new MessageHeader(MessageType.Heartbeat, 1, new NodeId(1), 1, 0, 1, (ushort)big.Length, 1);
        Assert.Equal(0, WireCodec.Encode(new byte[2000], header, big));
        var small = header with { PayloadLength = 10 };
        Assert.Equal(0, WireCodec.Encode(new byte[30], small, new byte[10]));
    }

    [Fact]
    public void A_valid_datagram_is_accepted()
    {
        using var node = Datagrams.Receiver(TestKeys.Options(1));
        node.Receive(Datagrams.Craft(TestKeys.Key(1)), 0);
        Assert.Equal(1, node.Counters.DatagramsAccepted);
        Assert.Equal(0, node.Counters.DroppedTotal);
    }

    public static TheoryData<string> MalformedClasses => new()
    {
        "empty", "too-short", "bad-magic", "unknown-version", "wrong-cluster", "length-longer", "length-field-too-large",
        "unknown-key-id", "bad-tag-payload", "bad-tag-header", "bad-tag-tag", "replayed-same", "replayed-far-below", "incarnation-zero",
        "invalid-sender", "own-datagram", "unknown-type", "malformed-heartbeat",
    };

    [Theory]
    [MemberData(nameof(MalformedClasses))]
    public void Every_malformed_class_is_counted_by_reason_and_dropped(string kind)
    {
        using var node = Datagrams.Receiver(TestKeys.Options(1));
        ClusterKey key = TestKeys.Key(1);
        byte[] good = Datagrams.Craft(key, sequence: 1000);
        node.Receive(good, 0); // the sender's window now sits at 1000
        long acceptedBefore = node.Counters.DatagramsAccepted;

        (byte[] bad, DropReason expected) = kind switch
        {
            "empty" => (Array.Empty<byte>(), DropReason.TooShort),
            "too-short" => (good[..(WireCodec.Overhead - 1)], DropReason.TooShort),
            "bad-magic" => (Flip(good, 0), DropReason.BadMagic),
            "unknown-version" => (Set(good, 2, 2), DropReason.UnknownVersion),
            "wrong-cluster" => (Datagrams.Craft(key, sequence: 1001, cluster: 99), DropReason.WrongCluster),
            "length-longer" => ([.. good, 0], DropReason.LengthMismatch),
            "length-field-too-large" => (Set(good, 36, 0xFF), DropReason.LengthMismatch),
            "unknown-key-id" => (Datagrams.Craft(TestKeys.Key(9), sequence: 1001), DropReason.UnknownKeyId),
            "bad-tag-payload" => (Flip(Datagrams.Craft(key, sequence: 1001), WireCodec.HeaderSize + 3), DropReason.BadTag),
            "bad-tag-header" => (Flip(Datagrams.Craft(key, sequence: 1001), 30), DropReason.BadTag),
            "bad-tag-tag" => (Flip(Datagrams.Craft(key, sequence: 1001), good.Length - 1), DropReason.BadTag),
            "replayed-same" => (good, DropReason.Replayed),
            "replayed-far-below" => (Datagrams.Craft(key, sequence: 1000 - 256), DropReason.Replayed),
            "incarnation-zero" => (Datagrams.Craft(key, incarnation: 0, sequence: 1001), DropReason.InvalidHeader),
            "invalid-sender" => (Datagrams.Craft(key, sender: 0, sequence: 1001), DropReason.InvalidHeader),
            "own-datagram" => (Datagrams.Craft(key, sender: 1, sequence: 1001), DropReason.OwnDatagram),
            "unknown-type" => (Datagrams.Craft(key, sequence: 1001, type: MessageType.VoteRequest), DropReason.UnknownType),
            "malformed-heartbeat" => (Datagrams.Craft(key, sequence: 1001, payload: new byte[7]), DropReason.MalformedPayload),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        node.Receive(bad, 1);

        Assert.Equal(1, node.Counters.Dropped(expected));
        Assert.Equal(1, node.Counters.DroppedTotal);
        if (expected is not DropReason.UnknownType and not DropReason.MalformedPayload)
        {
            Assert.Equal(acceptedBefore, node.Counters.DatagramsAccepted);
        }
    }

    [Fact]
    public void An_older_incarnation_is_replayed_and_a_newer_one_resets_the_window()
    {
        using var node = Datagrams.Receiver(TestKeys.Options(1));
        ClusterKey key = TestKeys.Key(1);
        node.Receive(Datagrams.Craft(key, incarnation: 5, sequence: 10), 0);
        node.Receive(Datagrams.Craft(key, incarnation: 4, sequence: 11), 0);
        Assert.Equal(1, node.Counters.Dropped(DropReason.Replayed));
        node.Receive(Datagrams.Craft(key, incarnation: 6, sequence: 1), 0);
        Assert.Equal(2, node.Counters.DatagramsAccepted);
    }

    [Fact]
    public void Out_of_order_datagrams_inside_the_window_are_accepted_once()
    {
        using var node = Datagrams.Receiver(TestKeys.Options(1));
        ClusterKey key = TestKeys.Key(1);
        byte[][] datagrams = Enumerable.Range(1, 300).Select(s => Datagrams.Craft(key, sequence: (ulong)s)).ToArray();
        foreach (int i in new[] { 299, 100, 50, 298, 60, 100, 299 })
        {
            node.Receive(datagrams[i], 0);
        }

        Assert.Equal(5, node.Counters.DatagramsAccepted);
        Assert.Equal(2, node.Counters.Dropped(DropReason.Replayed));
    }

    [Fact]
    public void A_wrong_key_with_the_right_id_fails_the_tag()
    {
        using var node = Datagrams.Receiver(TestKeys.Options(1));
        byte[] secret = TestKeys.Secret(1);
        secret[0] ^= 1;
        node.Receive(Datagrams.Craft(new ClusterKey(1, secret)), 0);
        Assert.Equal(1, node.Counters.Dropped(DropReason.BadTag));
        Assert.Equal(0, node.Counters.DatagramsAccepted);
    }

    [Fact]
    public void Key_rotation_accepts_current_and_previous_and_rejects_older()
    {
        // Receiver rotated from key 1 to key 2 (key 1 is previous); key 0 is older.
        using var node = Datagrams.Receiver(TestKeys.Options(1, keyId: 2, previous: TestKeys.Key(1)));
        node.Receive(Datagrams.Craft(TestKeys.Key(2), sequence: 1), 0);
        node.Receive(Datagrams.Craft(TestKeys.Key(1), sequence: 2), 0);
        node.Receive(Datagrams.Craft(TestKeys.Key(0), sequence: 3), 0);
        Assert.Equal(2, node.Counters.DatagramsAccepted);
        Assert.Equal(1, node.Counters.Dropped(DropReason.UnknownKeyId));

        // Rotating on: 3 current, 2 previous, 1 forgotten.
        node.Keys.Rotate(TestKeys.Key(3));
        node.Receive(Datagrams.Craft(TestKeys.Key(3), sequence: 4), 0);
        node.Receive(Datagrams.Craft(TestKeys.Key(2), sequence: 5), 0);
        node.Receive(Datagrams.Craft(TestKeys.Key(1), sequence: 6), 0);
        Assert.Equal(4, node.Counters.DatagramsAccepted);
        Assert.Equal(2, node.Counters.Dropped(DropReason.UnknownKeyId));
        Assert.Equal(3, node.Keys.CurrentKeyId);
        Assert.Equal((byte)2, node.Keys.PreviousKeyId);
    }

    [Fact]
    public void Accept_then_rotate_rolls_a_key_out_without_drops()
    {
        using var ring = new KeyRing(TestKeys.Key(1));
        ring.Accept(TestKeys.Key(2));
        byte[] sealedWith2 = Datagrams.Craft(TestKeys.Key(2));
        Assert.Equal(DropReason.None, ring.Verify(sealedWith2));
        ring.Rotate(TestKeys.Key(2));
        Assert.Equal(2, ring.CurrentKeyId);
        Assert.Equal(DropReason.None, ring.Verify(Datagrams.Craft(TestKeys.Key(1))));
        Assert.Throws<ArgumentException>(() => ring.Rotate(TestKeys.Key(2)));
    }

    [Fact]
    public void Keys_and_options_are_validated_with_clear_messages()
    {
        Assert.Contains("16..64", Assert.Throws<ArgumentException>(() => new ClusterKey(1, new byte[8])).Message);
        Assert.Contains("different key ids", Assert.Throws<ArgumentException>(() => new KeyRing(TestKeys.Key(1), TestKeys.Key(1))).Message);
        var ex = Assert.Throws<ArgumentException>(() => Datagrams.Receiver(TestKeys.Options(1) with { UnicastWindow = 0 }));
        Assert.Contains("UnicastWindow", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Datagrams.Receiver(TestKeys.Options(0)));
        Assert.Contains("Node", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Datagrams.Receiver(TestKeys.Options(1) with { FailureTimeoutUs = 10 }));
        Assert.Contains("FailureTimeoutUs", ex.Message);
    }

    [Fact]
    public void Random_garbage_and_mutations_only_move_counters()
    {
        using var node = Datagrams.Receiver(TestKeys.Options(1));
        var random = new Random(1234);
        byte[] good = Datagrams.Craft(TestKeys.Key(1), sequence: 5);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 1400)];
                random.NextBytes(input);
                if (input.Length > 2 && i % 4 == 0)
                {
                    input[0] = 0x45;
                    input[1] = 0x47;
                    input[2] = 1;
                }
            }
            else
            {
                input = (byte[])good.Clone();
                input[random.Next(input.Length)] ^= (byte)(1 + random.Next(255));
            }

            node.Receive(input, i);
        }

        Assert.Equal(20_000, node.Counters.DatagramsReceived);
        Assert.Equal(20_000, node.Counters.DroppedTotal);
        Assert.Equal(0, node.Counters.DatagramsAccepted);
        Assert.Equal(0, node.Counters.MulticastDelivered + node.Counters.UnicastDelivered);
    }

    [Fact]
    public async Task Authenticated_garbage_payloads_of_every_core_type_are_counted_never_thrown()
    {
        // A peer holding the key but sending nonsense (a bug, a corrupted sender): every payload parser must count
        // and drop, and the timers that act on what was parsed (NACKs, repairs, abandoning, stability) must not fail
        // or run away. Half the payloads get plausible leading fields so the parsers go past their first checks;
        // origin 3 never sends itself, so its streams are NACKed to the group, given up and freed as well.
        using ProtocolNode node = Datagrams.Receiver(TestKeys.Options(1) with { MulticastSendWindow = 64, MulticastRetention = 64 });
        var random = new Random(4321);
        MessageType[] types = [MessageType.Heartbeat, MessageType.MulticastData, MessageType.Nack, MessageType.Repair, MessageType.UnicastData, MessageType.UnicastAck];
        const int Count = 20_000;
        Task run = Task.Run(() =>
        {
            for (int i = 0; i < Count; i++)
            {
                MessageType type = types[random.Next(types.Length)];
                byte[] payload = new byte[random.Next(0, 2) == 0 ? random.Next(0, 64) : random.Next(0, WireCodec.MaxPayload + 1)];
                random.NextBytes(payload);
                if (i % 2 == 0 && payload.Length >= 29)
                {
                    // origin 2 or 3, incarnation 1, small sequence / stable / counts, written by the type's flyweight
                    var origin = new NodeId((uint)random.Next(2, 4));
                    bool far = i % 64 == 0; // now and then a sequence far ahead (up to 2^64 - 1)
                    ulong sequence = far ? (ulong)random.NextInt64() << 1 : (ulong)random.Next(0, 300);
                    ulong stable = (ulong)random.Next(0, 300);
                    WritePlausibleFields(type, payload, origin, sequence, stable, type == MessageType.Heartbeat ? random.Next(0, 3) : 0);
                }

                node.Receive(Datagrams.Craft(TestKeys.Key(1), sender: 2, sequence: (ulong)i + 1, type: type, payload: payload), i * 1_000L);
                node.Tick(i * 1_000L);
            }
        });

        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2)))); // hang guard only
        await run; // rethrows what the node threw
        Assert.Equal(Count, node.Counters.DatagramsReceived);
        Assert.Equal(Count, node.Counters.DatagramsAccepted); // authentic: every one passes the tag and replay checks
        Assert.True(node.Counters.Dropped(DropReason.MalformedPayload) > Count / 4);
        Assert.InRange(node.Counters.RetainedMessages, 0, 2 * 64); // two origins' streams, one ring each
    }

    /// <summary>Overwrites the leading fields of a random payload with plausible values through the type's flyweight;
    /// what follows stays random (reports, section, message, or trailing bytes that make the frame malformed).</summary>
    private static void WritePlausibleFields(MessageType type, byte[] payload, NodeId origin, ulong sequence, ulong stable, int reports)
    {
        switch (type)
        {
            case MessageType.Heartbeat:
                int section = Math.Max(0, payload.Length - HeartbeatFrame.SectionOffset(reports)) % 7; // usually not the true length
                new HeartbeatFrame(sequence, stable, reports, section).TryWrite(payload, out _);
                break;
            case MessageType.MulticastData or MessageType.Repair:
                new MulticastDataFrame(origin, 1, sequence, stable, payload[MulticastDataFrame.HeaderSize - 1]).TryWrite(payload, payload.AsSpan(MulticastDataFrame.HeaderSize).ToArray(), out _);
                break;
            case MessageType.Nack:
                new NackFrame(origin, 1, sequence, stable).TryWrite(payload, out _);
                break;
            case MessageType.UnicastData:
                new UnicastDataFrame(payload[0], sequence, stable).TryWrite(payload, payload.AsSpan(UnicastDataFrame.HeaderSize).ToArray(), out _);
                break;
            default:
                new UnicastAckFrame(1, sequence, stable).TryWrite(payload, out _);
                break;
        }
    }

    private static byte[] Flip(byte[] source, int index)
    {
        byte[] copy = (byte[])source.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    private static byte[] Set(byte[] source, int index, byte value)
    {
        byte[] copy = (byte[])source.Clone();
        copy[index] = value;
        return copy;
    }
}
