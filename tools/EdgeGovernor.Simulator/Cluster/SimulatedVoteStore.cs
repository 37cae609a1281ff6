using System.Buffers.Binary;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Simulator.Engine;

namespace EdgeGovernor.Simulator.Cluster;

/// <summary>
/// A node's term and vote in its <see cref="SimulatedStore"/>, which survives simulated crashes exactly like the
/// firmware's fsynced file survives real ones.
/// </summary>
internal sealed class SimulatedVoteStore(SimulatedStore store) : IVoteStore
{
    private const string Key = "cluster.vote";

    public PersistentVote Load()
    {
        if (!store.TryRead(Key, out ReadOnlySpan<byte> value) || value.Length != 12)
        {
            return default;
        }

        return new PersistentVote(BinaryPrimitives.ReadUInt64BigEndian(value), new NodeId(BinaryPrimitives.ReadUInt32BigEndian(value[8..])));
    }

    public void Save(PersistentVote vote)
    {
        Span<byte> value = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(value, vote.Term);
        BinaryPrimitives.WriteUInt32BigEndian(value[8..], vote.VotedFor.Value);
        store.Write(Key, value);
    }
}
