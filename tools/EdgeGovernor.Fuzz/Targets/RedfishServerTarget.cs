using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Redfish;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// A server BMC's Redfish replies (<see cref="RedfishReplyScript"/>: each request gets the input's next reply) through a
/// real <see cref="RedfishBmc"/> over a <see cref="RedfishClient"/>: session login, discovery from the service root,
/// power state, the reading (EnvironmentMetrics, power supplies, legacy Power), the limit (Control or legacy), setting
/// and activating it (ETag, 412), a reset action, logout. Every refusal is a <see cref="BmcException"/>; anything else
/// escaping is a finding.
/// </summary>
internal sealed class RedfishServerTarget : IFuzzTarget
{
    public string Name => "redfish";

    public string Description => "Redfish server BMC replies through RedfishBmc (discovery, reading, limit, reset)";

    public void Run(ReadOnlySpan<byte> input)
    {
        var script = new RedfishReplyScript();
        script.Reset(input);
        RunAsync(script).AsTask().GetAwaiter().GetResult();
    }

    internal static RedfishClientOptions Options { get; } =
        new(new Uri("http://bmc.fuzz/"), new RedfishCredentials("admin", "fuzz-pass"))
        {
            AllowPlainHttp = true,
            Retries = 0,
            MaxRetryAfter = TimeSpan.Zero,
            MaxBodyBytes = 64 * 1024,
        };

    private static async ValueTask RunAsync(RedfishReplyScript script)
    {
        var bmc = new RedfishBmc(new RedfishBmcOptions(Options), new RedfishClient(Options, script, TimeProvider.System));
        await using (bmc.ConfigureAwait(false))
        {
            if (!await Try(bmc.DiscoverAsync().AsTask()).ConfigureAwait(false))
            {
                return;
            }
            await Try(bmc.GetPowerStateAsync().AsTask()).ConfigureAwait(false);
            await Try(bmc.GetPowerReadingAsync().AsTask()).ConfigureAwait(false);
            await Try(bmc.GetPowerLimitAsync().AsTask()).ConfigureAwait(false);
            await Try(bmc.SetPowerLimitAsync(new PowerLimit(250, 1000, 1, PowerLimitExceptionAction.NoAction)).AsTask()).ConfigureAwait(false);
            await Try(bmc.ActivatePowerLimitAsync(true).AsTask()).ConfigureAwait(false);
            await Try(bmc.ChassisControlAsync(ChassisControl.PowerOn).AsTask()).ConfigureAwait(false);
        }
    }

    internal static async ValueTask<bool> Try(Task operation)
    {
        try
        {
            await operation.ConfigureAwait(false);
            return true;
        }
        catch (BmcException)
        {
            return false;
        }
    }

    public IEnumerable<byte[]> Seeds() => RecordSeeds("public-rackmount1", async client =>
    {
        await using var bmc = new RedfishBmc(new RedfishBmcOptions(Options), client);
        await bmc.DiscoverAsync();
        await bmc.GetPowerStateAsync();
        await bmc.GetPowerReadingAsync();
        await bmc.GetPowerLimitAsync();
    }).Append(RedfishReplyScript.Join(
        // Hand-made: basic authentication, a system with its reset types, a chassis with a legacy Power resource.
        """{"Systems":{"@odata.id":"/redfish/v1/Systems"},"Chassis":{"@odata.id":"/redfish/v1/Chassis"}}""",
        """{"Members":[{"@odata.id":"/redfish/v1/Systems/1"}]}""",
        """{"Id":"1","PowerState":"Off","Actions":{"#ComputerSystem.Reset":{"target":"/redfish/v1/Systems/1/Actions/ComputerSystem.Reset","ResetType@Redfish.AllowableValues":["On","ForceOff","GracefulShutdown"]}}}""",
        """{"Members":[{"@odata.id":"/redfish/v1/Chassis/1"}]}""",
        """{"Id":"1","Links":{"ComputerSystems":[{"@odata.id":"/redfish/v1/Systems/1"}]},"Power":{"@odata.id":"/redfish/v1/Chassis/1/Power"}}""",
        """{"PowerState":"Off"}""",
        """{"PowerControl":[{"PowerConsumedWatts":344,"PowerMetrics":{"IntervalInMin":30,"MinConsumedWatts":271,"MaxConsumedWatts":489,"AverageConsumedWatts":319},"PowerLimit":{"LimitInWatts":500,"LimitException":"LogEventOnly","CorrectionInMs":50}}]}""",
        "@ETag: W/\"1\"\n\n" + """{"PowerControl":[{"PowerLimit":{"LimitInWatts":null}}]}""",
        "7" + """{"error":{"code":"Base.1.8.PreconditionFailed","message":"ETag mismatch","@Message.ExtendedInfo":[{"Message":"The ETag supplied did not match."}]}}"""));

    /// <summary>Runs <paramref name="session"/> against the DMTF mockup <paramref name="mockup"/> (in ../shared/redfish/mockups) and returns what it was served, as one script.</summary>
    internal static IEnumerable<byte[]> RecordSeeds(string mockup, Func<RedfishClient, Task> session)
    {
        var recorder = new RedfishReplyScript(Path.Combine(FuzzPaths.Shared, "redfish", "mockups", mockup));
        session(new RedfishClient(Options, recorder, TimeProvider.System)).GetAwaiter().GetResult();
        yield return recorder.Recording;
    }
}
