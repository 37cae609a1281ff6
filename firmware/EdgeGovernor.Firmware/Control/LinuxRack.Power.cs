using EdgeGovernor.Hal;
using EdgeGovernor.Hal.Gpio;

namespace EdgeGovernor.Firmware.Control;

// Server power: PDU outlets on GPIO relays or Redfish PDUs, else the BMC's chassis control.
internal sealed partial class LinuxRack
{
    /// <summary>True when server <paramref name="server"/> can be switched: it has an outlet (GPIO or Redfish), or a BMC (chassis control).</summary>
    public bool CanSwitch(int server) => _relays[server] is not null || _pduOf[server] is not null || _agents[server] is not null;

    /// <summary>
    /// Powers server <paramref name="server"/> on or off through its outlet relay (synchronous; hal's minimum dwell and
    /// toggles-per-hour cap apply), by queueing an outlet request for its Redfish PDU's loop (the outlet's dwell and toggle
    /// cap checked here) or, without an outlet, by queueing a chassis command for its BMC's loop. Returns
    /// false when refused or failed: no outlet or BMC, the chassis' own dwell and toggle cap (<see cref="PowerSwitchGuard"/>,
    /// <c>bmc.minimumDwellSeconds</c>, <c>bmc.maxTogglesPerHour</c>), a protected server asked to power off, the relay's dwell or
    /// toggle cap (<see cref="HalErrorKind.RateLimited"/>), a GPIO error, or a BMC that does not answer. Refusals and
    /// errors are counted and logged like every hardware error; the state file records the outlet's original level
    /// (and the chassis' original state) before the first change, and stop restores them.
    /// </summary>
    public bool SetServerPower(int server, bool on)
    {
        if (_stopped)
        {
            return false;
        }
        if (!on && _protected[server])
        {
            return Refuse($"{_names[server]} is protected: not powering it off");
        }

        if (_relays[server] is { } relay)
        {
            try
            {
                bool was = relay.ReadIsOn();
                relay.Switch(on);
                _relayOn[server] = on;
                if (was != on)
                {
                    _relayToggles++;
                    _log?.Notice($"{relay.Name} switched {(on ? "on" : "off")}");
                }
                return true;
            }
            catch (HalException e) when (e.Kind == HalErrorKind.RateLimited)
            {
                return Refuse(e.Message);
            }
            catch (HalException e)
            {
                _writeErrors++;
                Report(e);
                return false;
            }
        }

        if (_pduOf[server] is { } pdu)
        {
            int slot = _pduSlot[server];
            if (pdu.IsOn(slot) == on)
            {
                pdu.CancelPowerRequest(slot);
                return true;
            }
            PowerSwitchGuard outletGuard = _outletGuards[server]!;
            if (outletGuard.Refusal() is { } wait)
            {
                return Refuse($"outlet {pdu.OutletIds[slot]} of {_names[server]}: {wait}");
            }
            if (!pdu.RequestPower(slot, on))
            {
                return Refuse($"PDU {pdu.Address} of {_names[server]} does not answer: power {(on ? "on" : "off")} refused");
            }
            outletGuard.Record();
            return true;
        }

        if (_agents[server] is { } agent)
        {
            if (agent.ChassisOn == on)
            {
                agent.CancelPowerRequest(); // already there: an opposite request still queued must not run
                return true;
            }
            PowerSwitchGuard guard = _chassisGuards[server]!;
            if (guard.Refusal() is { } why)
            {
                return Refuse($"chassis of {_names[server]}: {why}");
            }
            if (!agent.RequestPower(on))
            {
                return Refuse($"BMC {agent.Target} of {_names[server]} does not answer: power {(on ? "on" : "off")} refused");
            }
            guard.Record();
            return true;
        }
        return false;
    }

    /// <summary>Whether server <paramref name="server"/> is powered: its outlet's state, else its BMC's chassis state, else true.</summary>
    public bool IsServerOn(int server) =>
        _relays[server] is not null ? _relayOn[server]
        : _pduOf[server] is { } pdu ? pdu.IsOn(_pduSlot[server]) ?? _agents[server]?.ChassisOn ?? true
        : _agents[server]?.ChassisOn ?? true;

    private bool Refuse(string why)
    {
        _powerRefused++;
        if (!string.Equals(why, _lastLogged, StringComparison.Ordinal))
        {
            _lastLogged = why;
            _log?.Warning($"power switch refused: {why} (counted)");
        }
        return false;
    }
}
