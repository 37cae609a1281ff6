using System.Globalization;
using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Firmware.Cli;

/// <summary>
/// One change of <c>edgegov hw</c> through a server's BMC (IPMI or Redfish, both <see cref="IBmc"/>): reads what is there,
/// prints what a dry run would do or makes the change, reads it back, and puts the original back (read back too) unless
/// kept. Returns the exit code: 1 when what was set does not read back.
/// </summary>
internal sealed class HwBmcChange(IBmc bmc, string name, TextWriter stdout)
{
    /// <summary><c>set-cap</c>: the power limit to <paramref name="watts"/>.</summary>
    public async Task<int> SetCapAsync(int watts, int correctionTimeMs, PowerLimitExceptionAction action, bool yes, bool keep)
    {
        PowerLimit? was = await bmc.GetPowerLimitAsync().ConfigureAwait(false);
        double power = (await bmc.GetPowerReadingAsync().ConfigureAwait(false)).CurrentWatts;
        if (!yes)
        {
            stdout.WriteLine(Invariant($"{name}: power limit {Limit(was)}, drawing {power} W; dry run: would set the power limit to {watts} W{(keep ? "" : $" and back to {Limit(was)}")} (add --yes to do it)"));
            return Program.ExitOk;
        }
        await bmc.SetPowerLimitAsync(new PowerLimit((ushort)watts, (uint)correctionTimeMs, 1, action)).ConfigureAwait(false);
        await bmc.ActivatePowerLimitAsync(true).ConfigureAwait(false);
        PowerLimit? now = await bmc.GetPowerLimitAsync().ConfigureAwait(false);
        stdout.WriteLine(Invariant($"{name}: power limit was {Limit(was)}, set to {watts} W, reads back {Limit(now)}"));
        await RestoreLimitAsync(was, keep).ConfigureAwait(false);
        return now?.LimitWatts == watts ? Program.ExitOk : Program.ExitFailure;
    }

    /// <summary><c>clear-cap</c>: no power limit.</summary>
    public async Task<int> ClearCapAsync(bool yes, bool keep)
    {
        PowerLimit? was = await bmc.GetPowerLimitAsync().ConfigureAwait(false);
        if (!yes)
        {
            stdout.WriteLine($"{name}: power limit {Limit(was)}; dry run: would clear it{(keep || was is null ? "" : $" and set it back to {Limit(was)}")} (add --yes to do it)");
            return Program.ExitOk;
        }
        await bmc.ActivatePowerLimitAsync(false).ConfigureAwait(false);
        PowerLimit? now = await bmc.GetPowerLimitAsync().ConfigureAwait(false);
        stdout.WriteLine($"{name}: power limit was {Limit(was)}, cleared, reads back {Limit(now)}");
        await RestoreLimitAsync(was, keep).ConfigureAwait(false);
        return now is null ? Program.ExitOk : Program.ExitFailure;
    }

    /// <summary><c>power</c>: the server on, or off with <paramref name="off"/>.</summary>
    public async Task<int> PowerAsync(bool on, ChassisControl off, bool yes, bool keep)
    {
        bool was = (await bmc.GetChassisStatusAsync().ConfigureAwait(false)).PowerOn;
        if (!yes)
        {
            stdout.WriteLine($"{name}: {HwRunner.OnOff(was)}; dry run: would power it {HwRunner.OnOff(on)}{(keep || was == on ? "" : $" and back {HwRunner.OnOff(was)}")} (add --yes to do it)");
            return Program.ExitOk;
        }
        if (was == on)
        {
            stdout.WriteLine($"{name}: already {HwRunner.OnOff(on)}: nothing sent");
            return Program.ExitOk;
        }
        await bmc.ChassisControlAsync(on ? ChassisControl.PowerOn : off).ConfigureAwait(false);
        bool now = (await bmc.GetChassisStatusAsync().ConfigureAwait(false)).PowerOn;
        stdout.WriteLine($"{name}: was {HwRunner.OnOff(was)}, powered {HwRunner.OnOff(on)} ({(on ? ChassisControl.PowerOn : off)}), reads back {HwRunner.OnOff(now)}");
        if (!keep && now != was)
        {
            await bmc.ChassisControlAsync(was ? ChassisControl.PowerOn : off).ConfigureAwait(false);
            stdout.WriteLine($"{name}: restored, reads back {HwRunner.OnOff((await bmc.GetChassisStatusAsync().ConfigureAwait(false)).PowerOn)}");
        }
        return now == on ? Program.ExitOk : Program.ExitFailure;
    }

    private async Task RestoreLimitAsync(PowerLimit? was, bool keep)
    {
        if (keep)
        {
            stdout.WriteLine($"{name}: kept (--keep)");
            return;
        }
        if (was is { } l)
        {
            await bmc.SetPowerLimitAsync(l).ConfigureAwait(false);
            await bmc.ActivatePowerLimitAsync(true).ConfigureAwait(false);
        }
        else
        {
            await bmc.ActivatePowerLimitAsync(false).ConfigureAwait(false);
        }
        stdout.WriteLine($"{name}: restored, power limit reads back {Limit(await bmc.GetPowerLimitAsync().ConfigureAwait(false))}");
    }

    private static string Limit(PowerLimit? limit) => limit is { } l ? Invariant($"{l.LimitWatts} W") : "none";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
