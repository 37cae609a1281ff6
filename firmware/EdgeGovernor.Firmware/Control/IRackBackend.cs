namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// The hardware under a <see cref="RackController"/>: where each control step's measurements come from and its
/// caps, power switches and fan floor go. <see cref="SimulatedRackBackend"/> (hal/'s simulated rack) and
/// <see cref="LinuxRack"/> (the board's sysfs, GPIO outlets and BMCs) implement it; another backend (e.g. Redfish)
/// is one more implementation, chosen in <see cref="RackController"/>'s constructor from <c>rack.hardware</c>.
/// <para>
/// Per step the controller calls <see cref="Sample"/> once, then reads <see cref="Server"/> for every server,
/// switches servers (<see cref="SetServerPower"/>), and per server reads <see cref="TemperatureC"/> and writes
/// <see cref="SetCap"/> and <see cref="SetWorkload"/>, then <see cref="EnforceMinimumFanDuty"/>. Every member is
/// called on the control loop's thread and allocates nothing in steady state. Servers are indexed in
/// configuration order (<c>rack.servers</c> expanded by <c>count</c>).
/// </para>
/// </summary>
internal interface IRackBackend : IDisposable
{
    /// <summary>Failed hardware reads, writes and switches so far (counted, never fatal).</summary>
    long Errors { get; }

    /// <summary>Actuator counters (zero where the backend has no such actuator).</summary>
    HardwareCounters Counters { get; }

    /// <summary>GPIO inputs (fan tachometers, alarm lines), sampled in <see cref="Sample"/>; null when there are none.</summary>
    OperatorInputs? Inputs { get; }

    /// <summary>Whether server <paramref name="server"/> can be powered off and on by this backend.</summary>
    bool CanSwitch(int server);

    /// <summary>Whether server <paramref name="server"/> is powered when the controller takes the rack over.</summary>
    bool PoweredAtStart(int server);

    /// <summary>
    /// Lets <paramref name="wallSeconds"/> of wall time pass (simulated) or samples the counters and sensors over it
    /// (real hardware); returns the hottest temperature, degrees Celsius.
    /// </summary>
    double Sample(double wallSeconds);

    /// <summary>Server <paramref name="server"/>'s figures of the last <see cref="Sample"/>.</summary>
    ServerSample Server(int server);

    /// <summary>Server <paramref name="server"/>'s temperature as the envelope sees it, degrees Celsius.</summary>
    double TemperatureC(int server);

    /// <summary>Programs server <paramref name="server"/>'s power cap, watts.</summary>
    void SetCap(int server, double watts);

    /// <summary>
    /// The work server <paramref name="server"/> is asked to do, as a fraction of its full throughput, for a job class
    /// of CPU sensitivity <paramref name="sensitivity"/> (the simulated rack runs it; real servers run their own).
    /// </summary>
    void SetWorkload(int server, double asked, double sensitivity);

    /// <summary>Raises fans running below <paramref name="minDuty"/> (0..255); returns how many were raised.</summary>
    int EnforceMinimumFanDuty(int minDuty);

    /// <summary>Powers server <paramref name="server"/> on or off; false when refused or failed (counted, logged once).</summary>
    bool SetServerPower(int server, bool on);

    /// <summary>Puts the hardware back as found at start (before exit).</summary>
    void Restore();
}
