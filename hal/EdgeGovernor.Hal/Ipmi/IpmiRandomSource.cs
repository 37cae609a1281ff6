namespace EdgeGovernor.Hal.Ipmi;

/// <summary>Fills a span with cryptographically strong random bytes (injected for tests).</summary>
public delegate void IpmiRandomSource(Span<byte> destination);
