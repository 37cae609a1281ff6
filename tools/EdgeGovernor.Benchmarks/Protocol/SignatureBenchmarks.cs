using BenchmarkDotNet.Attributes;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Benchmarks.Protocol;

/// <summary>
/// Ed25519 (libsodium, <see cref="Ed25519Signer"/> / <see cref="SigningRoster"/>) sign and verify of exactly the bytes each
/// authority-carrying message signs (<see cref="SignatureFormat"/>: prefix + signed frame bytes): vote request 50 B, vote
/// response 38 B, the coordinator's heartbeat section with 2 alternates 82 B, a price record 55 B. Per message.
/// </summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private readonly byte[] _signature = new byte[SignatureFormat.SignatureSize];
    private Ed25519Signer _signer = null!;
    private SigningRoster _roster = null!;
    private byte[] _message = [];

    /// <summary>The message kind.</summary>
    [Params("vote-request", "vote-response", "coordinator-heartbeat", "price-record")]
    public string Kind { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        byte[] seed = new byte[Ed25519Signer.SeedSize];
        new Random(1).NextBytes(seed);
        _signer = new Ed25519Signer(seed);
        _roster = new SigningRoster();
        _roster.Set(new NodeId(2), _signer.PublicKey);
        int signed = Kind switch
        {
            "vote-request" => SignatureFormat.DatagramPrefixSize + VoteRequestFrame.SignedSize,
            "vote-response" => SignatureFormat.DatagramPrefixSize + VoteResponseFrame.SignedSize,
            "coordinator-heartbeat" => SignatureFormat.DatagramPrefixSize + ClusterHeartbeatSectionFrame.SizeOf(2) + 8,
            _ => SignatureFormat.RecordPrefixSize + PriceRecordFrame.SignedSize,
        };
        _message = new byte[signed];
        new Random(2).NextBytes(_message);
        _signer.Sign(_message, _signature);
    }

    [GlobalCleanup]
    public void Cleanup() => _signer.Dispose();

    [Benchmark(Description = "sign")]
    public byte Sign()
    {
        _signer.Sign(_message, _signature);
        return _signature[0];
    }

    [Benchmark(Description = "verify")]
    public bool Verify() => _roster.Verify(new NodeId(2), _message, _signature);
}
