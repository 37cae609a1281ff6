using System.Diagnostics;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.BoardCheck;

/// <summary>
/// <c>edgegov-boardcheck sign [iterations]</c>: times Ed25519 sign and verify (libsodium, linked statically as in the
/// firmware) of exactly the bytes each authority-carrying message signs (<see cref="SignatureFormat"/>), and checks
/// that a good signature verifies, a tampered one does not, and nothing is allocated. Prints <c>NOTE sign ...</c> lines
/// with microseconds per message (on the emulated board: TCG emulation, not a real board's speed).
/// </summary>
public sealed class SignTiming(int iterations, CheckLog checks)
{
    /// <summary>Runs the timing for the four message kinds.</summary>
    public void Run()
    {
        byte[] seed = new byte[Ed25519Signer.SeedSize];
        new Random(1).NextBytes(seed);
        using var signer = new Ed25519Signer(seed);
        var roster = new SigningRoster();
        roster.Set(new NodeId(1), signer.PublicKey);
        byte[] signature = new byte[SignatureFormat.SignatureSize];
        foreach ((string kind, int size) in (ReadOnlySpan<(string, int)>)[
            ("vote-request", SignatureFormat.DatagramPrefixSize + VoteRequestFrame.SignedSize),
            ("vote-response", SignatureFormat.DatagramPrefixSize + VoteResponseFrame.SignedSize),
            ("coordinator-heartbeat", SignatureFormat.DatagramPrefixSize + ClusterHeartbeatSectionFrame.SizeOf(2) + 8),
            ("price-record", SignatureFormat.RecordPrefixSize + PriceRecordFrame.SignedSize)])
        {
            byte[] message = new byte[size];
            new Random(size).NextBytes(message);
            signer.Sign(message, signature);
            bool ok = roster.Verify(new NodeId(1), message, signature);
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < iterations; i++)
            {
                signer.Sign(message, signature);
            }

            long signed = Stopwatch.GetTimestamp();
            for (int i = 0; i < iterations; i++)
            {
                ok &= roster.Verify(new NodeId(1), message, signature);
            }

            long verified = Stopwatch.GetTimestamp();
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            double signUs = Stopwatch.GetElapsedTime(start, signed).TotalMicroseconds / iterations;
            double verifyUs = Stopwatch.GetElapsedTime(signed, verified).TotalMicroseconds / iterations;
            message[0] ^= 1;
            bool tampered = roster.Verify(new NodeId(1), message, signature);
            checks.Expect(ok && !tampered, $"Ed25519 {kind} ({size} B) signs and verifies, a tampered message does not verify");
            checks.Expect(allocated == 0, $"Ed25519 {kind}: {allocated} B allocated over {iterations} signs and verifies");
            Console.Out.WriteLine($"NOTE sign {kind} {size} B: sign {signUs:F1} us, verify {verifyUs:F1} us per message over {iterations} ({System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture})");
        }
    }
}
