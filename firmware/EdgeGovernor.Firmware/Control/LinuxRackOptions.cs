using System.Device.Gpio;
using System.Device.I2c;
using System.Net;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Gpio.Drivers;
using EdgeGovernor.Hal.I2c;
using EdgeGovernor.Hal.Ipmi;
using EdgeGovernor.Hal.Redfish;

namespace EdgeGovernor.Firmware.Control;

/// <summary>Seams of <see cref="LinuxRack"/> for tests: where GPIO drivers, BMC clients and time come from.</summary>
internal sealed class LinuxRackOptions
{
    /// <summary>Opens the driver of a GPIO chip (default: the character device driver of hal/).</summary>
    public Func<string, GpioDriver> GpioDriverFactory { get; init; } = chip => new CharDeviceGpioDriver(chip, "edgegov");

    /// <summary>Creates a server's BMC client (default: hal/'s IPMI 2.0 client with the configured credentials file).</summary>
    public Func<BmcConfig, IBmc> BmcFactory { get; init; } = CreateIpmiBmc;

    /// <summary>Creates a server's Redfish BMC client (default: hal's <see cref="RedfishBmc"/> with the configured endpoint).</summary>
    public Func<RedfishConfig, IBmc> RedfishBmcFactory { get; init; } = CreateRedfishBmc;

    /// <summary>Creates a Redfish PDU client (default: hal's <see cref="RedfishPdu"/> with the configured endpoint).</summary>
    public Func<RedfishOutletConfig, RedfishPdu> RedfishPduFactory { get; init; } = config => new RedfishPdu(config.ClientOptions());

    /// <summary>Opens an add-on's I2C device: bus, address, register width on SMBus-only adapters, shared with a kernel driver
    /// (default: hal's <see cref="LinuxI2cDevice"/> on <c>/dev/i2c-N</c>).</summary>
    public Func<int, int, SmbusRegisterWidth, bool, I2cDevice> I2cDeviceFactory { get; init; } =
        (bus, address, width, shared) => new LinuxI2cDevice(bus, address, width, shared);

    /// <summary>Time of the relays' dwell and toggle cap.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>hal/'s IPMI client for <paramref name="config"/> (cipher suite 3).</summary>
    public static IBmc CreateIpmiBmc(BmcConfig config) =>
        new IpmiBmc(new IpmiBmcOptions(new IPEndPoint(IPAddress.Parse(config.Host), config.Port), IpmiCredentials.Load(config.CredentialsFile))
        {
            CipherSuite = IpmiCipherSuite.Suite3,
            Timeout = TimeSpan.FromMilliseconds(config.TimeoutMs),
            Retries = config.Retries,
        });

    /// <summary>hal's Redfish client for <paramref name="config"/>.</summary>
    public static IBmc CreateRedfishBmc(RedfishConfig config) =>
        new RedfishBmc(new RedfishBmcOptions(config.ClientOptions()) { SystemId = config.SystemId });
}
