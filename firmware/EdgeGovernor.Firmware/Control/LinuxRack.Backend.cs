namespace EdgeGovernor.Firmware.Control;

// The control loop's view (IRackBackend): the last sample's draw per server, the board's hottest sensor for every
// server (no per-socket sensor map), work estimated as draw / uncapped draw; the real servers run their own work.
internal sealed partial class LinuxRack
{
    private double[] _lastPower = [];
    private double _hottest;

    /// <inheritdoc/>
    bool IRackBackend.PoweredAtStart(int server) => IsServerOn(server);

    /// <inheritdoc/>
    double IRackBackend.Sample(double wallSeconds) => _hottest = Sample(wallSeconds, _lastPower);

    /// <inheritdoc/>
    ServerSample IRackBackend.Server(int server) =>
        new(_lastPower[server], IsServerOn(server), Math.Clamp(_lastPower[server] / _capMax[server], 0, 1));

    /// <inheritdoc/>
    double IRackBackend.TemperatureC(int server) => _hottest;

    /// <inheritdoc/>
    void IRackBackend.SetWorkload(int server, double asked, double sensitivity)
    {
    }

    /// <inheritdoc/>
    int IRackBackend.EnforceMinimumFanDuty(int minDuty) => EnforceMinimumDuty(minDuty);

    /// <inheritdoc/>
    void IRackBackend.Restore() => Restore();
}
