using System.Buffers.Binary;
using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Tests.Fakes;

/// <summary>
/// A deliberately unreliable test node: it multicasts each published message once and delivers
/// whatever arrives, as it arrives (no ordering, no repair), and sends a control heartbeat every
/// 100 ms. It lets the engine, the network model and the checkers be tested apart from the
/// protocol: under loss it must produce violations.
/// <code>datagram: [type: 1 heartbeat, 2 data][sender id u32][seq u64][payload]</code>
/// </summary>
internal sealed class FloodNode(NodeContext context) : ISimulatedNode
{
    public const long HeartbeatUs = 100_000;
    private readonly byte[] _buffer = new byte[1500];
    private ulong _sequence;
    private long _nextHeartbeat = long.MinValue;

    public NodeContext Context { get; } = context;

    public int Ticks { get; private set; }

    public long NextDeadlineUs => _nextHeartbeat == long.MinValue ? 0 : _nextHeartbeat;

    public int RetainedMessages => 0;

    public void Receive(ReadOnlySpan<byte> datagram, long nowUs)
    {
        if (datagram.Length < 13 || datagram[0] != 2)
        {
            return;
        }

        uint sender = BinaryPrimitives.ReadUInt32LittleEndian(datagram[1..]);
        ulong seq = BinaryPrimitives.ReadUInt64LittleEndian(datagram[5..]);
        Context.Port.Delivered(sender, seq, datagram[13..]);
    }

    public void Tick(long nowUs)
    {
        Ticks++;
        if (nowUs >= _nextHeartbeat)
        {
            _buffer[0] = 1;
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(1), Context.NodeId);
            Context.Port.SendToGroup(_buffer.AsSpan(0, 5));
            _nextHeartbeat = nowUs + HeartbeatUs;
        }
    }

    public bool TryPublish(ReadOnlySpan<byte> payload, long nowUs)
    {
        _buffer[0] = 2;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(1), Context.NodeId);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(5), ++_sequence);
        payload.CopyTo(_buffer.AsSpan(13));
        Context.Port.SendToGroup(_buffer.AsSpan(0, 13 + payload.Length));
        return true;
    }
}
