using System.Globalization;

namespace EdgeGovernor.Firmware.Cli;

/// <summary>A small, AOT-safe parser for the <c>edgegov</c> command line (no reflection).</summary>
public static class CommandLine
{
    /// <summary>Default URL of <c>edgegov status</c>.</summary>
    public const string DefaultStatusUrl = "http://127.0.0.1:9464/status";

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: edgegov <command> [options]

        commands:
          run --config <file>       run this board's governor (see examples/edgegov.json)
          status [--url <url>] [--json]
                                    print the cluster view of a running node
                                    (default url: http://127.0.0.1:9464/status)
          demo [--prices <csv>] [--nodes <n>] [--duration <s>] [--seed <n>] [--plain]
                                    run a 5-node cluster on loopback multicast with simulated
                                    racks: one simulated day in about a minute, the coordinator
                                    killed halfway
          --help                    this text

        exit codes: 0 ok, 1 runtime failure, 2 bad command line or configuration
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="CliException"/> with a clear message when they are bad.</summary>
    public static CliCommand Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new CliException("no command given (try 'edgegov --help')");
        }
        string command = args[0];
        if (command is "-h" or "--help" or "help")
        {
            return new HelpCommand(args.Count > 1 ? args[1] : null);
        }
        var options = new Options(command, args);
        if (options.Help)
        {
            return new HelpCommand(command);
        }
        switch (command)
        {
            case "run":
                {
                    string config = options.Take("--config") ?? throw new CliException("run: --config <file> is required");
                    options.EnsureAllUsed();
                    return new RunCommand(config);
                }
            case "status":
                {
                    string url = options.Take("--url") ?? DefaultStatusUrl;
                    bool json = options.Flag("--json");
                    options.EnsureAllUsed();
                    if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp)
                    {
                        throw new CliException($"status: --url '{url}' is not an absolute http:// URL");
                    }
                    return new StatusCommand(uri, json);
                }
            case "demo":
                {
                    string? prices = options.Take("--prices");
                    int nodes = options.Int("--nodes", 5, 3, 9);
                    double duration = options.Double("--duration", 60, 5, 3600);
                    ulong seed = options.ULong("--seed", 42);
                    bool plain = options.Flag("--plain");
                    options.EnsureAllUsed();
                    if (prices is not null && !File.Exists(prices))
                    {
                        throw new CliException($"demo: --prices file '{prices}' does not exist");
                    }
                    return new DemoCommand(prices, nodes, duration, seed, plain);
                }
            default:
                throw new CliException($"unknown command '{command}' (commands: run, status, demo; try 'edgegov --help')");
        }
    }

    /// <summary>The options after the command word, consumed one by one so that leftovers are reported.</summary>
    private sealed class Options
    {
        private readonly string _command;
        private readonly List<(string Name, string? Value)> _items = [];
        private readonly bool[] _used;

        public Options(string command, IReadOnlyList<string> args)
        {
            _command = command;
            for (int i = 1; i < args.Count; i++)
            {
                string a = args[i];
                if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
                {
                    if (a is "-h")
                    {
                        Help = true;
                        continue;
                    }
                    throw new CliException($"{command}: unexpected argument '{a}'");
                }
                int eq = a.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    _items.Add((a[..eq], a[(eq + 1)..]));
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    _items.Add((a, args[++i]));
                }
                else
                {
                    _items.Add((a, null));
                }
                if (a == "--help")
                {
                    Help = true;
                }
            }
            _used = new bool[_items.Count];
        }

        public bool Help { get; }

        public string? Take(string name)
        {
            string? found = null;
            for (int i = 0; i < _items.Count; i++)
            {
                if (_items[i].Name != name)
                {
                    continue;
                }
                if (found is not null)
                {
                    throw new CliException($"{_command}: {name} given more than once");
                }
                found = _items[i].Value ?? throw new CliException($"{_command}: {name} needs a value");
                if (found.Length == 0)
                {
                    throw new CliException($"{_command}: {name} needs a non-empty value");
                }
                _used[i] = true;
            }
            return found;
        }

        public bool Flag(string name)
        {
            bool found = false;
            for (int i = 0; i < _items.Count; i++)
            {
                if (_items[i].Name == name)
                {
                    if (_items[i].Value is not null)
                    {
                        throw new CliException($"{_command}: {name} takes no value");
                    }
                    _used[i] = true;
                    found = true;
                }
            }
            return found;
        }

        public int Int(string name, int fallback, int min, int max)
        {
            string? text = Take(name);
            if (text is null)
            {
                return fallback;
            }
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            {
                throw new CliException($"{_command}: {name} must be a whole number from {min} to {max}, not '{text}'");
            }
            return value;
        }

        public ulong ULong(string name, ulong fallback)
        {
            string? text = Take(name);
            if (text is null)
            {
                return fallback;
            }
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            {
                throw new CliException($"{_command}: {name} must be a non-negative whole number, not '{text}'");
            }
            return value;
        }

        public double Double(string name, double fallback, double min, double max)
        {
            string? text = Take(name);
            if (text is null)
            {
                return fallback;
            }
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= min && value <= max))
            {
                throw new CliException($"{_command}: {name} must be a number from {min} to {max}, not '{text}'");
            }
            return value;
        }

        public void EnsureAllUsed()
        {
            for (int i = 0; i < _items.Count; i++)
            {
                if (!_used[i] && _items[i].Name != "--help")
                {
                    throw new CliException($"{_command}: unknown option '{_items[i].Name}'");
                }
            }
        }
    }
}
