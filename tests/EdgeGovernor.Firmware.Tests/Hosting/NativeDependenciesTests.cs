using System.Diagnostics;
using EdgeGovernor.Firmware.Hosting;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>
/// The start-up check for libssl: a sentence and exit 69 instead of .NET's "No usable version of libssl was found"
/// and exit 134 at the first use of cryptography. The process test hides the host's libssl from a real
/// <c>edgegov</c> in a private mount namespace (root and util-linux's unshare, which CI has), bind-mounting
/// /dev/null over each libssl the loader would find.
/// </summary>
[Collection("processes")]
public sealed class NativeDependenciesTests
{
    [Fact]
    public void Libssl_found_under_any_accepted_name_passes()
    {
        Assert.Null(NativeDependencies.MissingLibssl(name => name == "libssl.so.1.1"));
        Assert.Null(NativeDependencies.MissingLibssl(name => name == "libssl.so.3"));
    }

    [Fact]
    public void Libssl_missing_names_every_name_tried_and_the_package()
    {
        var tried = new List<string>();
        string? message = NativeDependencies.MissingLibssl(name => { tried.Add(name); return false; });
        Assert.Equal(NativeDependencies.LibsslNames, tried);
        Assert.NotNull(message);
        Assert.Contains("libssl.so.3", message);
        Assert.Contains("apt-get install libssl3", message);
    }

    [Fact]
    public void The_host_running_the_tests_has_libssl() => Assert.Null(NativeDependencies.MissingLibssl());

    [Fact]
    public void A_process_without_libssl_says_what_to_install_and_exits_69()
    {
        string[] libraries = NativeDependencies.LibsslNames
            .SelectMany(name => new[] { $"/usr/lib/x86_64-linux-gnu/{name}", $"/usr/lib/aarch64-linux-gnu/{name}" })
            .Where(File.Exists)
            .Select(path => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path)
            .Distinct()
            .ToArray();
        Assert.NotEmpty(libraries);
        string masks = string.Join(" && ", libraries.Select(l => $"mount --bind /dev/null '{l}'"));

        // Without the masks the same command reaches the status client (no node listens on port 9: exit 1).
        (int code, string stderr) = Run($"{masks} && exec '{NodeProcess.Executable}' status --url http://127.0.0.1:9/status");
        Assert.True(code == NativeDependencies.ExitMissingDependency, $"exit {code}, stderr: {stderr}");
        Assert.Contains("libssl was not found", stderr);
        Assert.Contains("apt-get install libssl3", stderr);

        (int unmasked, string unmaskedErr) = Run($"exec '{NodeProcess.Executable}' status --url http://127.0.0.1:9/status");
        Assert.True(unmasked != NativeDependencies.ExitMissingDependency, $"exit {unmasked} with libssl present: {unmaskedErr}");

        // --help never needs it.
        (int help, _) = Run($"{masks} && exec '{NodeProcess.Executable}' --help");
        Assert.Equal(0, help);
    }

    private static (int Code, string Stderr) Run(string script)
    {
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--mount", "--propagation", "private", "sh", "-c", script })
        {
            start.ArgumentList.Add(a);
        }
        using Process p = Process.Start(start)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"unshare sh -c {script} did not finish within 60 s");
        }
        p.WaitForExit();
        _ = stdout.Result;
        return (p.ExitCode, stderr.Result);
    }
}
