using System.Globalization;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Policy;

namespace EdgeGovernor.Firmware.Control;

/// <summary>
/// Carries out the governor's power commands on an <see cref="IRackBackend"/> in the policy's interval model: a power-off
/// decided in market interval t is executed at once (the server counts as down from t+1); a power-on decided in t waits
/// until boot time plus two control periods are left in the interval (at once when no more than that is left), so the
/// server serves from t+1, and is called off if a later decision of the same interval drops it. A switch the backend
/// refuses is undone (asked again while the governor still wants it) and logged once. Changes the <see cref="ServerSlot"/>s it is given; returns what it executed.
/// </summary>
internal sealed class PowerCycler(IRackBackend backend, Logger? log)
{
    private bool _errorLogged;

    /// <summary>
    /// Executes <paramref name="setpoints"/>' commands for the servers of <paramref name="slots"/> at
    /// <paramref name="hourOfDay"/> (fractional, market time) of market interval <paramref name="interval"/> (of
    /// <paramref name="intervalSeconds"/>), control periods of <paramref name="periodSeconds"/> of market time apart;
    /// returns the power-offs and power-ons executed.
    /// </summary>
    /// <param name="priceCtPerKwh">The price in force, for the log.</param>
    public (int PowerOffs, int PowerOns) Execute(Span<ServerSlot> slots, ReadOnlySpan<ServerSetpoint> setpoints, long interval, double hourOfDay, double intervalSeconds, double periodSeconds, double priceCtPerKwh)
    {
        double secondsIntoInterval = (hourOfDay * 3600) % intervalSeconds;
        int offs = 0, ons = 0;
        for (int i = 0; i < slots.Length; i++)
        {
            ref ServerSlot slot = ref slots[i];
            PowerCommand command = setpoints[i].Command;
            if (slot.SwitchInterval == interval)
            {
                // Decided earlier this interval. A power-off is done; a boot not yet started may be called off, or starts.
                if (slot.SwitchOn && !slot.BootIssued && command != PowerCommand.PowerOn)
                {
                    slot.SwitchInterval = -1;
                }
                else if (slot.SwitchOn && !slot.BootIssued && slot.BootDue(secondsIntoInterval, periodSeconds, intervalSeconds))
                {
                    ons += Boot(ref slot, i);
                }
            }
            else if (command == PowerCommand.PowerOff && slot.Up)
            {
                slot.BeginSwitch(interval, on: false);
                log?.Info(string.Create(CultureInfo.InvariantCulture, $"{slot.Name}: power off (price {priceCtPerKwh:0.###} ct/kWh)"));
                if (SetPower(i, slot.Name, on: false))
                {
                    offs++;
                }
                else
                {
                    slot.SwitchInterval = -1;
                    slot.Powered = true;
                }
            }
            else if (command == PowerCommand.PowerOn && !slot.Up)
            {
                slot.BeginSwitch(interval, on: true);
                if (slot.BootDue(secondsIntoInterval, periodSeconds, intervalSeconds))
                {
                    // Decided with no more than the boot's time left (a late plan, or few periods per interval): boot now,
                    // since no later step of this interval may come to start it.
                    ons += Boot(ref slot, i);
                }
            }
        }
        return (offs, ons);
    }

    // Starts the boot of a power-on decided this interval; returns 1 when the backend switched the server on.
    private int Boot(ref ServerSlot slot, int server)
    {
        slot.BootIssued = true;
        slot.Powered = true;
        log?.Info($"{slot.Name}: power on (boot before the next interval)");
        if (SetPower(server, slot.Name, on: true))
        {
            return 1;
        }
        // Refused (relay dwell, BMC down): the server stays off; the governor decides again next interval.
        slot.SwitchInterval = -1;
        slot.Powered = false;
        return 0;
    }

    private bool SetPower(int server, string name, bool on)
    {
        bool ok = backend.SetServerPower(server, on);
        if (!ok && !_errorLogged)
        {
            _errorLogged = true;
            log?.Error($"{name}: could not power {(on ? "on" : "off")} (logged once)");
        }
        return ok;
    }
}
