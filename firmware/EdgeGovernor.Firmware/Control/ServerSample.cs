namespace EdgeGovernor.Firmware.Control;

/// <summary>One server's figures of a backend sample.</summary>
/// <param name="PowerWatts">Measured draw, watts.</param>
/// <param name="Running">Powered and serving (not off, booting or shutting down).</param>
/// <param name="WorkFraction">Work done over the sampled period as a fraction of the server's full throughput (0..1).</param>
internal readonly record struct ServerSample(double PowerWatts, bool Running, double WorkFraction);
