namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// Checks <c>rack.inputs</c> (called by <see cref="ConfigValidator"/>): only with <c>rack.hardware = "linux"</c>, at
/// most <see cref="MaxInputs"/> of each kind, unique names, a GPIO character device and a line offset, no line used
/// twice or by a server's outlet, pulses per revolution 1..16, a known bias, debounce 0..1000 ms. Every error names its
/// JSON path.
/// </summary>
internal static class InputsConfigValidator
{
    /// <summary>Most tachometers and most alarm lines.</summary>
    public const int MaxInputs = 16;

    /// <summary>Values of <c>bias</c>.</summary>
    public static readonly string[] Biases = ["as-is", "pull-up", "pull-down", "disabled"];

    /// <summary>Appends every problem of <c>rack.inputs</c> to <paramref name="errors"/>.</summary>
    public static void Validate(RackConfig rack, List<ConfigError> errors)
    {
        InputsConfig inputs = rack.Inputs;
        if (inputs.Tachometers.Length + inputs.Alarms.Length == 0)
        {
            return;
        }

        Check(errors, rack.Hardware == "linux", "$.rack.inputs", "GPIO inputs need rack.hardware \"linux\"");
        Check(errors, inputs.Tachometers.Length <= MaxInputs, "$.rack.inputs.tachometers", $"at most {MaxInputs}");
        Check(errors, inputs.Alarms.Length <= MaxInputs, "$.rack.inputs.alarms", $"at most {MaxInputs}");
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (ServerConfig s in rack.Servers)
        {
            if (s.Outlet is { Redfish: null } o)
            {
                claimed.Add($"{o.Chip}:{o.Line}");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < inputs.Tachometers.Length; i++)
        {
            TachometerConfig t = inputs.Tachometers[i];
            string p = $"$.rack.inputs.tachometers[{i}]";
            Line(errors, p, t.Name, t.Chip, t.Line, t.Bias, names, claimed);
            Check(errors, t.PulsesPerRevolution is >= 1 and <= 16, p + ".pulsesPerRevolution", "must be from 1 to 16");
        }

        for (int i = 0; i < inputs.Alarms.Length; i++)
        {
            AlarmInputConfig a = inputs.Alarms[i];
            string p = $"$.rack.inputs.alarms[{i}]";
            Line(errors, p, a.Name, a.Chip, a.Line, a.Bias, names, claimed);
            Check(errors, a.DebounceMs is >= 0 and <= 1000, p + ".debounceMs", "must be from 0 to 1000");
        }
    }

    private static void Line(List<ConfigError> errors, string p, string name, string chip, int line, string bias, HashSet<string> names, HashSet<string> claimed)
    {
        Check(errors, !string.IsNullOrWhiteSpace(name) && name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'),
            p + ".name", "must be 1 to 64 letters, digits, '-', '_' or '.'");
        Check(errors, string.IsNullOrWhiteSpace(name) || names.Add(name), p + ".name", $"'{name}' appears twice");
        Check(errors, chip.StartsWith("/dev/", StringComparison.Ordinal), p + ".chip", $"'{chip}' is not a GPIO character device (e.g. /dev/gpiochip0)");
        Check(errors, line is >= 0 and <= 511, p + ".line", "must be a line offset from 0 to 511");
        Check(errors, claimed.Add($"{chip}:{line}"), p + ".line", $"line {line} of {chip} is already used by an outlet or another input");
        Check(errors, Biases.Contains(bias), p + ".bias", $"'{bias}' is not one of {string.Join(", ", Biases)}");
    }

    private static void Check(List<ConfigError> errors, bool ok, string path, string reason)
    {
        if (!ok)
        {
            errors.Add(new ConfigError(path, reason));
        }
    }
}
