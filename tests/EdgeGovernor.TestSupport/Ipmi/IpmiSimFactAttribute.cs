namespace EdgeGovernor.TestSupport.Ipmi;

/// <summary>A fact that needs ipmi_sim, ipmitool, gcc and the OpenIPMI headers; skipped with the reason when one is missing.</summary>
public sealed class IpmiSimFactAttribute : FactAttribute
{
    public IpmiSimFactAttribute()
    {
        if (MissingReason is { } reason)
        {
            Skip = reason;
        }
    }

    public static string? MissingReason { get; } = FindMissing();

    private static string? FindMissing()
    {
        string[] needed = ["ipmi_sim", "ipmitool", "gcc"];
        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':');
        foreach (string tool in needed)
        {
            if (!path.Any(d => File.Exists(Path.Combine(d, tool))))
            {
                return $"{tool} not found on PATH: apt-get install openipmi libopenipmi-dev ipmitool gcc (CI installs them)";
            }
        }

        return File.Exists("/usr/include/OpenIPMI/mcserv.h")
            ? null
            : "/usr/include/OpenIPMI/mcserv.h not found: apt-get install libopenipmi-dev (CI installs it)";
    }
}
