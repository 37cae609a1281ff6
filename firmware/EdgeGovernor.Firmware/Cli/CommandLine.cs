using System.Globalization;

namespace EdgeGovernor.Firmware.Cli;

/// <summary>A small, AOT-safe parser for the <c>edgegov</c> command line (no reflection).</summary>
internal static class CommandLine
{
    /// <summary>Default URL of <c>edgegov status</c>.</summary>
    public const string DefaultStatusUrl = "http://127.0.0.1:9464/status";

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: edgegov <command> [options]

        commands:
          run --config <file>       run this board's governor (see examples/edgegov.json)
          status [--url <url>] [--json] [--token-file <file>]
                                    print the cluster view of a running node
                                    (default url: http://127.0.0.1:9464/status)
          demo [--prices <csv>] [--nodes <n>] [--duration <s>] [--seed <n>] [--plain]
                                    run a 5-node cluster on loopback multicast with simulated
                                    racks: one simulated day in about a minute, the coordinator
                                    killed halfway
          demo --contracts [--duration <s>]
                                    two owners' racks trading load under a contract: the day
                                    without and with it, the summary per owner
          hw --config <file> [--json]
                                    commissioning: list every configured device (RAPL zones,
                                    cpufreq policies, fans, sensors, outlets, IPMI and Redfish
                                    BMCs, Redfish PDU outlets) and read each one
          hw --config <file> set-cap <server> <watts> | clear-cap <server>
             | power <server> on|off | outlet <server> on|off [--yes] [--force] [--keep]
                                    change one thing: a dry run without --yes; protected
                                    servers only with --force; restored after reading it
                                    back unless --keep
          keygen --out <file>       make this board's Ed25519 signing key: the secret key file
                                    (mode 0600, never overwritten) and, on stdout, the
                                    "publicKey" line for the other boards' network.peers
          --help                    this text

        exit codes: 0 ok, 1 runtime failure, 2 bad command line or configuration, 69 a library is missing (libssl3)
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
                    string? tokenFile = options.Take("--token-file");
                    options.EnsureAllUsed();
                    if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp)
                    {
                        throw new CliException($"status: --url '{url}' is not an absolute http:// URL");
                    }
                    return new StatusCommand(uri, json, tokenFile);
                }
            case "demo":
                {
                    string? prices = options.Take("--prices");
                    int nodes = options.Int("--nodes", 5, 3, 9);
                    double duration = options.Double("--duration", 60, 5, 3600);
                    ulong seed = options.ULong("--seed", 42);
                    bool plain = options.Flag("--plain");
                    bool contracts = options.Flag("--contracts");
                    options.EnsureAllUsed();
                    if (prices is not null && !File.Exists(prices))
                    {
                        throw new CliException($"demo: --prices file '{prices}' does not exist");
                    }
                    return new DemoCommand(prices, nodes, duration, seed, plain, contracts);
                }
            case "hw":
                return ParseHw(options);
            case "keygen":
                {
                    string output = options.Take("--out") ?? throw new CliException("keygen: --out <file> is required");
                    options.EnsureAllUsed();
                    return new KeygenCommand(output);
                }
            default:
                throw new CliException($"unknown command '{command}' (commands: run, status, demo, hw, keygen; try 'edgegov --help')");
        }
    }

    private static HwCommand ParseHw(Options options)
    {
        string config = options.Take("--config") ?? throw new CliException("hw: --config <file> is required");
        bool json = options.Flag("--json");
        bool yes = options.Flag("--yes");
        bool force = options.Flag("--force");
        bool keep = options.Flag("--keep");
        IReadOnlyList<string> words = options.Positionals;
        options.EnsureAllUsed();
        if (words.Count == 0)
        {
            if (yes || force || keep)
            {
                throw new CliException("hw: --yes, --force and --keep go with set-cap, clear-cap, power or outlet");
            }
            return new HwCommand(config, json, HwVerb.List, null, 0, false, false, false, false);
        }
        if (json)
        {
            throw new CliException("hw: --json goes with the listing only");
        }
        (HwVerb verb, int arguments) = words[0] switch
        {
            "set-cap" => (HwVerb.SetCap, 2),
            "clear-cap" => (HwVerb.ClearCap, 1),
            "power" => (HwVerb.Power, 2),
            "outlet" => (HwVerb.Outlet, 2),
            _ => throw new CliException($"hw: unknown action '{words[0]}' (set-cap, clear-cap, power, outlet)"),
        };
        if (words.Count != arguments + 1)
        {
            throw new CliException(verb switch
            {
                HwVerb.SetCap => "hw: set-cap needs <server> <watts>",
                HwVerb.ClearCap => "hw: clear-cap needs <server>",
                _ => $"hw: {words[0]} needs <server> on|off",
            });
        }
        int watts = 0;
        bool on = false;
        if (verb == HwVerb.SetCap && (!int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out watts) || watts is < 1 or > 65535))
        {
            throw new CliException($"hw: set-cap: watts must be a whole number from 1 to 65535, not '{words[2]}'");
        }
        if (verb is HwVerb.Power or HwVerb.Outlet)
        {
            on = words[2] switch
            {
                "on" => true,
                "off" => false,
                _ => throw new CliException($"hw: {words[0]}: expected on or off, not '{words[2]}'"),
            };
        }
        return new HwCommand(config, false, verb, words[1], watts, on, yes, force, keep);
    }

    /// <summary>The options after the command word, consumed one by one so that leftovers are reported.</summary>
    private sealed class Options
    {
        // Flags never take the next word as their value (so `hw --yes set-cap ...` reads as meant).
        private static readonly string[] Flags = ["--json", "--plain", "--contracts", "--yes", "--force", "--keep", "--help"];
        private readonly string _command;
        private readonly List<(string Name, string? Value)> _items = [];
        private readonly List<string> _positionals = [];
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
                    if (command != "hw")
                    {
                        throw new CliException($"{command}: unexpected argument '{a}'");
                    }
                    _positionals.Add(a); // hw's action words
                    continue;
                }
                int eq = a.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    _items.Add((a[..eq], a[(eq + 1)..]));
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && Array.IndexOf(Flags, a) < 0)
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

        /// <summary>The words that are not options (only <c>hw</c> takes any); reading them marks them used.</summary>
        public IReadOnlyList<string> Positionals
        {
            get
            {
                _positionalsUsed = true;
                return _positionals;
            }
        }

        private bool _positionalsUsed;

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
            if (!_positionalsUsed && _positionals.Count > 0)
            {
                throw new CliException($"{_command}: unexpected argument '{_positionals[0]}'");
            }
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
