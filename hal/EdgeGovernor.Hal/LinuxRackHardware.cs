using System.Device.Gpio;
using EdgeGovernor.Hal.Gpio;

namespace EdgeGovernor.Hal;

/// <summary>A rack of Linux machines (or BMC-reached servers) with outlet relays on a GPIO chip.</summary>
public sealed class LinuxRackHardware(IReadOnlyList<IServerHardware> servers, GpioController? outlets, IReadOnlyList<int> outletLines) : IRackHardware
{
    /// <inheritdoc/>
    public IReadOnlyList<IServerHardware> Servers { get; } = servers;

    /// <inheritdoc/>
    public GpioController? Outlets { get; } = outlets;

    /// <inheritdoc/>
    public IReadOnlyList<int> OutletLines { get; } = outletLines;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (IServerHardware server in Servers)
        {
            (server as IDisposable)?.Dispose();
        }

        Outlets?.Dispose();
    }
}
