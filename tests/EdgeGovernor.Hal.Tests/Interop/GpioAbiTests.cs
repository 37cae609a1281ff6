using System.Globalization;
using System.Text.RegularExpressions;
using static EdgeGovernor.Hal.Interop.GpioV2;

namespace EdgeGovernor.Hal.Tests.Interop;

/// <summary>
/// Proves the managed GPIO uAPI v2 structs and ioctl numbers against the kernel's header
/// (/usr/include/linux/gpio.h from Debian linux-libc-dev):
/// x86_64 by compiling and running Fixtures/gpio_abi.c with gcc; arm64 and arm by laying out the struct declarations of
/// their own header (/usr/aarch64-linux-gnu/include, /usr/arm-linux-gnueabihf/include, when the cross packages are
/// installed) with each ABI's alignment rules and encoding the ioctls with asm-generic/ioctl.h (which both use), the
/// same computation being checked against gcc's answer for x86_64 first.
/// </summary>
public sealed partial class GpioAbiTests
{
    private const string Header = "/usr/include/linux/gpio.h";

    /// <summary>What the managed code uses, in the C program's "key value" form.</summary>
    private static unsafe Dictionary<string, ulong> Managed()
    {
        var m = new Dictionary<string, ulong>();
        gpiochip_info chip = default;
        gpio_v2_line_values values = default;
        gpio_v2_line_attribute attr = default;
        gpio_v2_line_config_attribute configAttr = default;
        gpio_v2_line_config config = default;
        gpio_v2_line_request request = default;
        gpio_v2_line_info info = default;
        gpio_v2_line_info_changed changed = default;
        gpio_v2_line_event lineEvent = default;
        static ulong Off(void* field, void* start) => (ulong)((byte*)field - (byte*)start);

        m["sizeof gpiochip_info"] = (ulong)sizeof(gpiochip_info);
        m["offsetof gpiochip_info.name"] = Off(chip.name, &chip);
        m["offsetof gpiochip_info.label"] = Off(chip.label, &chip);
        m["offsetof gpiochip_info.lines"] = Off(&chip.lines, &chip);
        m["sizeof gpio_v2_line_values"] = (ulong)sizeof(gpio_v2_line_values);
        m["offsetof gpio_v2_line_values.bits"] = Off(&values.bits, &values);
        m["offsetof gpio_v2_line_values.mask"] = Off(&values.mask, &values);
        m["sizeof gpio_v2_line_attribute"] = (ulong)sizeof(gpio_v2_line_attribute);
        m["offsetof gpio_v2_line_attribute.id"] = Off(&attr.id, &attr);
        m["offsetof gpio_v2_line_attribute.padding"] = Off(&attr.padding, &attr);
        m["offsetof gpio_v2_line_attribute.flags"] = Off(&attr.flags, &attr);
        m["offsetof gpio_v2_line_attribute.values"] = Off(&attr.values, &attr);
        m["offsetof gpio_v2_line_attribute.debounce_period_us"] = Off(&attr.debounce_period_us, &attr);
        m["sizeof gpio_v2_line_config_attribute"] = (ulong)sizeof(gpio_v2_line_config_attribute);
        m["offsetof gpio_v2_line_config_attribute.attr"] = Off(&configAttr.attr, &configAttr);
        m["offsetof gpio_v2_line_config_attribute.mask"] = Off(&configAttr.mask, &configAttr);
        m["sizeof gpio_v2_line_config"] = (ulong)sizeof(gpio_v2_line_config);
        m["offsetof gpio_v2_line_config.flags"] = Off(&config.flags, &config);
        m["offsetof gpio_v2_line_config.num_attrs"] = Off(&config.num_attrs, &config);
        m["offsetof gpio_v2_line_config.padding"] = Off(config.padding, &config);
        m["offsetof gpio_v2_line_config.attrs"] = Off(&config.attrs, &config);
        m["sizeof gpio_v2_line_request"] = (ulong)sizeof(gpio_v2_line_request);
        m["offsetof gpio_v2_line_request.offsets"] = Off(request.offsets, &request);
        m["offsetof gpio_v2_line_request.consumer"] = Off(request.consumer, &request);
        m["offsetof gpio_v2_line_request.config"] = Off(&request.config, &request);
        m["offsetof gpio_v2_line_request.num_lines"] = Off(&request.num_lines, &request);
        m["offsetof gpio_v2_line_request.event_buffer_size"] = Off(&request.event_buffer_size, &request);
        m["offsetof gpio_v2_line_request.padding"] = Off(request.padding, &request);
        m["offsetof gpio_v2_line_request.fd"] = Off(&request.fd, &request);
        m["sizeof gpio_v2_line_info"] = (ulong)sizeof(gpio_v2_line_info);
        m["offsetof gpio_v2_line_info.name"] = Off(info.name, &info);
        m["offsetof gpio_v2_line_info.consumer"] = Off(info.consumer, &info);
        m["offsetof gpio_v2_line_info.offset"] = Off(&info.offset, &info);
        m["offsetof gpio_v2_line_info.num_attrs"] = Off(&info.num_attrs, &info);
        m["offsetof gpio_v2_line_info.flags"] = Off(&info.flags, &info);
        m["offsetof gpio_v2_line_info.attrs"] = Off(&info.attrs, &info);
        m["offsetof gpio_v2_line_info.padding"] = Off(info.padding, &info);
        m["sizeof gpio_v2_line_info_changed"] = (ulong)sizeof(gpio_v2_line_info_changed);
        m["offsetof gpio_v2_line_info_changed.info"] = Off(&changed.info, &changed);
        m["offsetof gpio_v2_line_info_changed.timestamp_ns"] = Off(&changed.timestamp_ns, &changed);
        m["offsetof gpio_v2_line_info_changed.event_type"] = Off(&changed.event_type, &changed);
        m["offsetof gpio_v2_line_info_changed.padding"] = Off(changed.padding, &changed);
        m["sizeof gpio_v2_line_event"] = (ulong)sizeof(gpio_v2_line_event);
        m["offsetof gpio_v2_line_event.timestamp_ns"] = Off(&lineEvent.timestamp_ns, &lineEvent);
        m["offsetof gpio_v2_line_event.id"] = Off(&lineEvent.id, &lineEvent);
        m["offsetof gpio_v2_line_event.offset"] = Off(&lineEvent.offset, &lineEvent);
        m["offsetof gpio_v2_line_event.seqno"] = Off(&lineEvent.seqno, &lineEvent);
        m["offsetof gpio_v2_line_event.line_seqno"] = Off(&lineEvent.line_seqno, &lineEvent);
        m["offsetof gpio_v2_line_event.padding"] = Off(lineEvent.padding, &lineEvent);
        m["ioctl GPIO_GET_CHIPINFO_IOCTL"] = GPIO_GET_CHIPINFO_IOCTL;
        m["ioctl GPIO_V2_GET_LINEINFO_IOCTL"] = GPIO_V2_GET_LINEINFO_IOCTL;
        m["ioctl GPIO_V2_GET_LINEINFO_WATCH_IOCTL"] = GPIO_V2_GET_LINEINFO_WATCH_IOCTL;
        m["ioctl GPIO_GET_LINEINFO_UNWATCH_IOCTL"] = GPIO_GET_LINEINFO_UNWATCH_IOCTL;
        m["ioctl GPIO_V2_GET_LINE_IOCTL"] = GPIO_V2_GET_LINE_IOCTL;
        m["ioctl GPIO_V2_LINE_SET_CONFIG_IOCTL"] = GPIO_V2_LINE_SET_CONFIG_IOCTL;
        m["ioctl GPIO_V2_LINE_GET_VALUES_IOCTL"] = GPIO_V2_LINE_GET_VALUES_IOCTL;
        m["ioctl GPIO_V2_LINE_SET_VALUES_IOCTL"] = GPIO_V2_LINE_SET_VALUES_IOCTL;
        m["const GPIO_MAX_NAME_SIZE"] = GPIO_MAX_NAME_SIZE;
        m["const GPIO_V2_LINES_MAX"] = GPIO_V2_LINES_MAX;
        m["const GPIO_V2_LINE_NUM_ATTRS_MAX"] = GPIO_V2_LINE_NUM_ATTRS_MAX;
        m["const GPIO_V2_LINE_FLAG_ACTIVE_LOW"] = GPIO_V2_LINE_FLAG_ACTIVE_LOW;
        m["const GPIO_V2_LINE_FLAG_INPUT"] = GPIO_V2_LINE_FLAG_INPUT;
        m["const GPIO_V2_LINE_FLAG_OUTPUT"] = GPIO_V2_LINE_FLAG_OUTPUT;
        m["const GPIO_V2_LINE_FLAG_USED"] = GPIO_V2_LINE_FLAG_USED;
        m["const GPIO_V2_LINE_FLAG_EDGE_RISING"] = GPIO_V2_LINE_FLAG_EDGE_RISING;
        m["const GPIO_V2_LINE_FLAG_EDGE_FALLING"] = GPIO_V2_LINE_FLAG_EDGE_FALLING;
        m["const GPIO_V2_LINE_FLAG_OPEN_DRAIN"] = GPIO_V2_LINE_FLAG_OPEN_DRAIN;
        m["const GPIO_V2_LINE_FLAG_OPEN_SOURCE"] = GPIO_V2_LINE_FLAG_OPEN_SOURCE;
        m["const GPIO_V2_LINE_FLAG_BIAS_PULL_UP"] = GPIO_V2_LINE_FLAG_BIAS_PULL_UP;
        m["const GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN"] = GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN;
        m["const GPIO_V2_LINE_FLAG_BIAS_DISABLED"] = GPIO_V2_LINE_FLAG_BIAS_DISABLED;
        m["const GPIO_V2_LINE_ATTR_ID_FLAGS"] = GPIO_V2_LINE_ATTR_ID_FLAGS;
        m["const GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES"] = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
        m["const GPIO_V2_LINE_ATTR_ID_DEBOUNCE"] = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
        m["const GPIO_V2_LINE_EVENT_RISING_EDGE"] = GPIO_V2_LINE_EVENT_RISING_EDGE;
        m["const GPIO_V2_LINE_EVENT_FALLING_EDGE"] = GPIO_V2_LINE_EVENT_FALLING_EDGE;
        m["const GPIO_V2_LINE_CHANGED_REQUESTED"] = GPIO_V2_LINE_CHANGED_REQUESTED;
        m["const GPIO_V2_LINE_CHANGED_RELEASED"] = GPIO_V2_LINE_CHANGED_RELEASED;
        m["const GPIO_V2_LINE_CHANGED_CONFIG"] = GPIO_V2_LINE_CHANGED_CONFIG;
        return m;
    }

    [Fact]
    public void X64_layout_and_ioctl_numbers_match_the_compiled_kernel_header()
    {
        Assert.True(File.Exists(Header), $"{Header} is missing: install linux-libc-dev (.ci/run does)");
        Dictionary<string, ulong> c = NativeToolchain.CompileAndRun("gpio_abi.c", "");
        Dictionary<string, ulong> managed = Managed();
        Assert.Equal(c.Keys.Order(), managed.Keys.Order());
        foreach ((string key, ulong value) in c)
        {
            Assert.True(value == managed[key], $"{key}: kernel header says {value}, managed code uses {managed[key]}");
        }
    }

    [Theory]
    [InlineData("x86_64")]
    [InlineData("arm64")]
    [InlineData("arm")]
    public void Layout_computed_from_the_header_with_the_ABI_rules_matches_the_managed_structs(string abi)
    {
        // The target's own uapi header (Debian's cross linux-libc-dev packages) where installed, else the host's.
        string header = abi switch
        {
            "arm64" when File.Exists("/usr/aarch64-linux-gnu/include/linux/gpio.h") => "/usr/aarch64-linux-gnu/include/linux/gpio.h",
            "arm" when File.Exists("/usr/arm-linux-gnueabihf/include/linux/gpio.h") => "/usr/arm-linux-gnueabihf/include/linux/gpio.h",
            _ => Header,
        };
        HeaderLayout layout = HeaderLayout.Parse(File.ReadAllText(header), Abi.Of(abi));
        Dictionary<string, ulong> managed = Managed();
        foreach (string key in managed.Keys.Where(k => k.StartsWith("sizeof ", StringComparison.Ordinal) || k.StartsWith("offsetof ", StringComparison.Ordinal)))
        {
            Assert.True(layout.Values[key] == managed[key], $"{abi} {key}: computed {layout.Values[key]}, managed {managed[key]}");
        }

        // ioctl numbers: arm64 and arm use asm-generic/ioctl.h (8 bits nr, 8 type, 14 size, 2 dir; write 1, read 2), as x86_64 does.
        Assert.Equal(managed["ioctl GPIO_V2_GET_LINE_IOCTL"], Iowr(0xB4, 0x07, layout.Values["sizeof gpio_v2_line_request"]));
        Assert.Equal(managed["ioctl GPIO_V2_LINE_SET_CONFIG_IOCTL"], Iowr(0xB4, 0x0D, layout.Values["sizeof gpio_v2_line_config"]));
        Assert.Equal(managed["ioctl GPIO_V2_LINE_GET_VALUES_IOCTL"], Iowr(0xB4, 0x0E, layout.Values["sizeof gpio_v2_line_values"]));
        Assert.Equal(managed["ioctl GPIO_V2_LINE_SET_VALUES_IOCTL"], Iowr(0xB4, 0x0F, layout.Values["sizeof gpio_v2_line_values"]));
        Assert.Equal(managed["ioctl GPIO_V2_GET_LINEINFO_IOCTL"], Iowr(0xB4, 0x05, layout.Values["sizeof gpio_v2_line_info"]));
        Assert.Equal(managed["ioctl GPIO_V2_GET_LINEINFO_WATCH_IOCTL"], Iowr(0xB4, 0x06, layout.Values["sizeof gpio_v2_line_info"]));
        Assert.Equal(managed["ioctl GPIO_GET_LINEINFO_UNWATCH_IOCTL"], Iowr(0xB4, 0x0C, 4));
        Assert.Equal(managed["ioctl GPIO_GET_CHIPINFO_IOCTL"], (2UL << 30) | (layout.Values["sizeof gpiochip_info"] << 16) | (0xB4UL << 8) | 0x01);
        // On 32-bit arm the request is a 32-bit unsigned long: every number must fit.
        Assert.True(managed["ioctl GPIO_V2_GET_LINE_IOCTL"] <= uint.MaxValue);
    }

    [Fact]
    public void The_layout_computation_agrees_with_gcc_on_x86_64()
    {
        Dictionary<string, ulong> c = NativeToolchain.CompileAndRun("gpio_abi.c", "");
        HeaderLayout layout = HeaderLayout.Parse(File.ReadAllText(Header), Abi.Of("x86_64"));
        foreach ((string key, ulong value) in c.Where(kv => !kv.Key.StartsWith("ioctl", StringComparison.Ordinal) && !kv.Key.StartsWith("const", StringComparison.Ordinal)))
        {
            Assert.True(layout.Values[key] == value, $"{key}: gcc {value}, computed {layout.Values[key]}");
        }
    }

    [Fact]
    public void The_computation_would_notice_an_ABI_that_aligns_u64_to_4()
    {
        // i386 aligns a plain __u64 to 4; the header's __aligned_u64 forces 8. A struct using plain u64 after a u32 moves.
        HeaderLayout i386 = HeaderLayout.Parse("struct t { __u32 a; __u64 b; };", new Abi("i386", U64Align: 4));
        HeaderLayout x64 = HeaderLayout.Parse("struct t { __u32 a; __u64 b; };", Abi.Of("x86_64"));
        Assert.Equal(4UL, i386.Values["offsetof t.b"]);
        Assert.Equal(8UL, x64.Values["offsetof t.b"]);
        HeaderLayout aligned = HeaderLayout.Parse("struct t { __u32 a; __aligned_u64 b; };", new Abi("i386", U64Align: 4));
        Assert.Equal(8UL, aligned.Values["offsetof t.b"]);
    }

    private static ulong Iowr(ulong type, ulong nr, ulong size) => (3UL << 30) | (size << 16) | (type << 8) | nr;

    /// <summary>Alignment of a plain __u64 (the only type whose alignment differs among Linux ABIs here).</summary>
    private sealed record Abi(string Name, int U64Align)
    {
        // x86_64 (SysV), arm64 (AAPCS64) and arm EABI (AAPCS) all align 8-byte integers to 8.
        public static Abi Of(string name) => new(name, 8);
    }

    /// <summary>
    /// Lays out the C structs of a uapi header: parses "struct name { members };" with members
    /// "type name[N];", "struct type name;" and anonymous "union { ... };", and applies the C rules
    /// (each member at the next multiple of its alignment, struct alignment the largest member's, size
    /// rounded up to it).
    /// </summary>
    private sealed partial class HeaderLayout
    {
        private readonly Abi _abi;
        private readonly Dictionary<string, long> _defines = [];
        private readonly Dictionary<string, (ulong Size, ulong Align)> _structs = [];

        private HeaderLayout(Abi abi) => _abi = abi;

        public Dictionary<string, ulong> Values { get; } = [];

        public static HeaderLayout Parse(string text, Abi abi)
        {
            var layout = new HeaderLayout(abi);
            text = BlockComment().Replace(text, " ");
            text = LineComment().Replace(text, " ");
            foreach (Match d in Define().Matches(text))
            {
                layout._defines[d.Groups[1].Value] = long.Parse(d.Groups[2].Value, CultureInfo.InvariantCulture);
            }

            foreach (Match s in StructBlock().Matches(text))
            {
                layout.LayOut(s.Groups[1].Value, s.Groups[2].Value);
            }

            return layout;
        }

        private void LayOut(string name, string body)
        {
            ulong offset = 0, align = 1;
            foreach ((string member, ulong size, ulong memberAlign, bool isUnion, List<(string, ulong, ulong)> unionMembers) in Members(body))
            {
                offset = AlignUp(offset, memberAlign);
                if (isUnion)
                {
                    foreach ((string unionMember, _, _) in unionMembers)
                    {
                        Values[$"offsetof {name}.{unionMember}"] = offset;
                    }
                }
                else
                {
                    Values[$"offsetof {name}.{member}"] = offset;
                }

                offset += size;
                align = Math.Max(align, memberAlign);
            }

            ulong total = AlignUp(offset, align);
            _structs[name] = (total, align);
            Values[$"sizeof {name}"] = total;
        }

        private IEnumerable<(string Name, ulong Size, ulong Align, bool IsUnion, List<(string, ulong, ulong)> UnionMembers)> Members(string body)
        {
            int i = 0;
            while (i < body.Length)
            {
                Match union = UnionStart().Match(body, i);
                int semicolon = body.IndexOf(';', i);
                if (semicolon < 0)
                {
                    yield break;
                }

                if (union.Success && union.Index < semicolon)
                {
                    int close = body.IndexOf('}', union.Index);
                    var members = body[(union.Index + union.Length)..close]
                        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(Member).ToList();
                    ulong size = members.Max(m => m.Item2), align = members.Max(m => m.Item3);
                    yield return ("", AlignUp(size, align), align, true, members);
                    i = body.IndexOf(';', close) + 1;
                    continue;
                }

                string declaration = body[i..semicolon].Trim();
                i = semicolon + 1;
                if (declaration.Length == 0)
                {
                    continue;
                }

                (string n, ulong s, ulong a) = Member(declaration);
                yield return (n, s, a, false, []);
            }
        }

        private (string, ulong, ulong) Member(string declaration)
        {
            Match m = MemberDecl().Match(declaration);
            Assert.True(m.Success, $"cannot parse member '{declaration}'");
            string type = m.Groups[1].Value.Trim();
            string name = m.Groups[2].Value;
            ulong count = 1;
            if (m.Groups[3].Success)
            {
                string n = m.Groups[3].Value;
                count = (ulong)(long.TryParse(n, CultureInfo.InvariantCulture, out long literal) ? literal : _defines[n]);
            }

            (ulong size, ulong align) = type switch
            {
                "char" or "__u8" => (1UL, 1UL),
                "__u16" or "__s16" => (2UL, 2UL),
                "__u32" or "__s32" or "int" => (4UL, 4UL),
                "__u64" or "__s64" => (8UL, (ulong)_abi.U64Align),
                "__aligned_u64" => (8UL, 8UL),
                _ when type.StartsWith("struct ", StringComparison.Ordinal) => _structs[type["struct ".Length..].Trim()],
                _ => throw new InvalidOperationException($"unknown type {type}"),
            };
            return (name, size * count, align);
        }

        private static ulong AlignUp(ulong value, ulong align) => (value + align - 1) / align * align;

        [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
        private static partial Regex BlockComment();

        [GeneratedRegex(@"//[^\n]*")]
        private static partial Regex LineComment();

        [GeneratedRegex(@"#define\s+(\w+)\s+(\d+)\s*$", RegexOptions.Multiline)]
        private static partial Regex Define();

        [GeneratedRegex(@"struct\s+(\w+)\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*;", RegexOptions.Singleline)]
        private static partial Regex StructBlock();

        [GeneratedRegex(@"union\s*\{")]
        private static partial Regex UnionStart();

        [GeneratedRegex(@"^((?:struct\s+)?\w+)\s+(\w+)\s*(?:\[\s*(\w+)\s*\])?$", RegexOptions.Singleline)]
        private static partial Regex MemberDecl();
    }
}
