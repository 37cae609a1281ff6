using System.Device.Gpio;
using EdgeGovernor.Hal.Gpio;

namespace EdgeGovernor.Hal;

/// <summary>A rack: its servers and the GPIO chip of its PDU outlet relays.</summary>
public interface IRackHardware : IDisposable
{
    /// <summary>The servers, in rack order.</summary>
    IReadOnlyList<IServerHardware> Servers { get; }

    /// <summary>The GPIO controller of the outlet relays, or null without switched outlets.</summary>
    GpioController? Outlets { get; }

    /// <summary>The outlet line of each server (same order as <see cref="Servers"/>; -1 when none).</summary>
    IReadOnlyList<int> OutletLines { get; }
}
