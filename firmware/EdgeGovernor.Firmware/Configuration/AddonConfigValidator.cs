using System.Globalization;
using EdgeGovernor.Hal.I2c;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// Checks <c>rack.addons</c> (called by <see cref="ConfigValidator"/>): add-ons only with <c>linux</c> hardware; known
/// chip types; bus 0..1023 and an address the chip can have; one add-on per bus and address; pins and channels within
/// the chip and used once; each relay and power monitor serving a server that exists with count 1, a relay only for a
/// server without another outlet; bounded relay protection, PWM frequency, shunt and current. Every error names its JSON path.
/// </summary>
internal static class AddonConfigValidator
{
    /// <summary>Expander types.</summary>
    public static readonly string[] ExpanderTypes = ["mcp23017", "mcp23008", "pca95x4"];

    /// <summary>PWM chip types.</summary>
    public static readonly string[] PwmTypes = ["pca9685"];

    /// <summary>Temperature sensor types.</summary>
    public static readonly string[] SensorTypes = ["lm75", "mcp9808", "sht3x"];

    /// <summary>Power monitor types.</summary>
    public static readonly string[] PowerTypes = ["ina219"];

    /// <summary>Appends every problem of <c>rack.addons</c> of <paramref name="rack"/> to <paramref name="errors"/>.</summary>
    public static void Validate(RackConfig rack, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(rack);
        AddonsConfig a = rack.Addons ?? new AddonsConfig();
        bool any = a.Expanders.Length + a.Pwm.Length + a.Temperatures.Length + a.Power.Length > 0;
        Check(errors, !any || rack.Hardware == "linux", "$.rack.addons", "add-ons need rack.hardware = \"linux\"");
        var devices = new HashSet<(int, int)>();
        var outlets = new HashSet<string>(StringComparer.Ordinal);
        var monitored = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < a.Expanders.Length; i++)
        {
            ExpanderConfig x = a.Expanders[i];
            string p = $"$.rack.addons.expanders[{i}]";
            bool known = Type(errors, x.Type, ExpanderTypes, p);
            Device(errors, x.Bus, x.Address, p, devices, x.Type == "pca95x4" ? [(0x20, 0x27), (0x38, 0x3F)] : [(0x20, 0x27)]);
            int pins = x.Type == "mcp23017" ? 16 : 8;
            var used = new HashSet<int>();
            for (int k = 0; k < x.Relays.Length; k++)
            {
                ExpanderRelayConfig r = x.Relays[k];
                string rp = $"{p}.relays[{k}]";
                Check(errors, !known || r.Pin >= 0 && r.Pin < pins, rp + ".pin", $"must be a pin from 0 to {pins - 1} of a {x.Type}");
                Check(errors, used.Add(r.Pin), rp + ".pin", $"pin {r.Pin} is already another relay's");
                Check(errors, r.MinimumDwellSeconds is >= 1 and <= 86400, rp + ".minimumDwellSeconds", "must be from 1 to 86400");
                Check(errors, r.MaxTogglesPerHour is >= 1 and <= 60, rp + ".maxTogglesPerHour", "must be from 1 to 60");
                if (Server(errors, rack, r.Server, rp + ".server") is { } s)
                {
                    Check(errors, s.Outlet is null, rp + ".server", $"server '{r.Server}' already has an outlet (rack.servers[].outlet)");
                    Check(errors, outlets.Add(r.Server), rp + ".server", $"server '{r.Server}' already has a relay on an expander");
                }
            }
        }

        for (int i = 0; i < a.Pwm.Length; i++)
        {
            PwmChipConfig c = a.Pwm[i];
            string p = $"$.rack.addons.pwm[{i}]";
            Type(errors, c.Type, PwmTypes, p);
            Device(errors, c.Bus, c.Address, p, devices, [(0x40, 0x6F), (0x71, 0x77)]);
            Check(errors, c.FrequencyHz is null or >= 24 and <= 1526, p + ".frequencyHz", "must be from 24 to 1526 Hz (the PCA9685's prescaler range), or left out to keep the chip's");
            Check(errors, c.Fans.Length is >= 1 and <= 16, p + ".fans", "must list 1 to 16 fans");
            var used = new HashSet<int>();
            for (int k = 0; k < c.Fans.Length; k++)
            {
                PwmFanConfig f = c.Fans[k];
                string fp = $"{p}.fans[{k}]";
                Check(errors, f.Channel is >= 0 and <= 15, fp + ".channel", "must be a channel from 0 to 15");
                Check(errors, used.Add(f.Channel), fp + ".channel", $"channel {f.Channel} is already another fan's");
                Check(errors, f.Name.Length is >= 1 and <= 64, fp + ".name", "must be 1 to 64 characters");
            }
        }

        for (int i = 0; i < a.Temperatures.Length; i++)
        {
            I2cSensorConfig t = a.Temperatures[i];
            string p = $"$.rack.addons.temperatures[{i}]";
            Type(errors, t.Type, SensorTypes, p);
            Device(errors, t.Bus, t.Address, p, devices, t.Type switch
            {
                "mcp9808" => [(0x18, 0x1F)],
                "sht3x" => [(0x44, 0x45)],
                _ => [(0x48, 0x4F)],
            });
            Check(errors, t.Name.Length is >= 1 and <= 64, p + ".name", "must be 1 to 64 characters");
        }

        for (int i = 0; i < a.Power.Length; i++)
        {
            PowerMonitorConfig m = a.Power[i];
            string p = $"$.rack.addons.power[{i}]";
            Type(errors, m.Type, PowerTypes, p);
            Device(errors, m.Bus, m.Address, p, devices, [(0x40, 0x4F)]);
            Check(errors, m.ShuntOhms is >= 0.001 and <= 10, p + ".shuntOhms", "must be from 0.001 to 10 ohms");
            Check(errors, m.MaxAmps > 0 && m.MaxAmps <= 0.32 / m.ShuntOhms * (1 + 1e-9), p + ".maxAmps",
                string.Create(CultureInfo.InvariantCulture, $"must be above 0 and at most 0.32 V / shuntOhms ({0.32 / m.ShuntOhms:G4} A)"));
            if (Server(errors, rack, m.Server, p + ".server") is not null)
            {
                Check(errors, monitored.Add(m.Server), p + ".server", $"server '{m.Server}' already has a power monitor");
            }
        }
    }

    private static bool Type(List<ConfigError> errors, string type, string[] known, string path)
    {
        bool ok = Array.IndexOf(known, type) >= 0;
        Check(errors, ok, path + ".type", $"'{type}' is not one of: {string.Join(", ", known)}");
        return ok;
    }

    private static void Device(List<ConfigError> errors, int bus, int address, string path, HashSet<(int, int)> devices, (int Min, int Max)[] addresses)
    {
        Check(errors, bus is >= 0 and <= I2cTarget.MaxBus, path + ".bus", $"must be an I2C bus number from 0 to {I2cTarget.MaxBus}");
        bool inRange = Array.Exists(addresses, r => address >= r.Min && address <= r.Max);
        Check(errors, inRange, path + ".address", string.Create(CultureInfo.InvariantCulture,
            $"0x{address:x2} ({address}) is not an address this chip can have: {string.Join(", ", addresses.Select(r => $"0x{r.Min:x2}..0x{r.Max:x2}"))}"));
        Check(errors, devices.Add((bus, address)), path + ".address", string.Create(CultureInfo.InvariantCulture, $"bus {bus} address 0x{address:x2} is already another add-on's"));
    }

    private static ServerConfig? Server(List<ConfigError> errors, RackConfig rack, string name, string path)
    {
        ServerConfig? s = Array.Find(rack.Servers, x => x.Name == name);
        Check(errors, s is not null, path, $"'{name}' is not the name of a rack.servers[] entry");
        Check(errors, s is null || s.Count == 1, path, $"server group '{name}' has count {s?.Count}; an add-on serves one server (count 1)");
        return s is { Count: 1 } ? s : null;
    }

    private static void Check(List<ConfigError> errors, bool ok, string path, string reason)
    {
        if (!ok)
        {
            errors.Add(new ConfigError(path, reason));
        }
    }
}
