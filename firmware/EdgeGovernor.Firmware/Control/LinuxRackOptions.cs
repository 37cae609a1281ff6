using System.Net;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Gpio.Drivers;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Firmware.Control;

/// <summary>Seams of <see cref="LinuxRack"/> for tests: where GPIO drivers, BMC clients and time come from.</summary>
public sealed class LinuxRackOptions
{
    /// <summary>Opens the driver of a GPIO chip (default: the character device driver of hal/).</summary>
    public Func<string, GpioDriver> GpioDriverFactory { get; init; } = chip => new CharDeviceGpioDriver(chip, "edgegov");

    /// <summary>Creates a server's BMC client (default: hal/'s IPMI 2.0 client with the configured credentials file).</summary>
    public Func<BmcConfig, IBmc> BmcFactory { get; init; } = CreateIpmiBmc;

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
}
