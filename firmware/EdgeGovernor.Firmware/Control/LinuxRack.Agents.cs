using System.Device.Gpio;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Gpio;
using EdgeGovernor.Hal.Redfish;

namespace EdgeGovernor.Firmware.Control;

// The BMC and PDU agents: starting a Redfish PDU's loop, stopping the loops, closing the clients.
internal sealed partial class LinuxRack
{
    private void StopAgents()
    {
        Task[] stops = [.. _agents.Where(a => a is not null).Select(a => a!.StopAsync()), .. _pduAgents.Select(p => p.StopAsync())];
        Task.WaitAll(stops, TimeSpan.FromSeconds(30));
    }

    private void DisposeOutletsAndBmcs(IBmc?[] bmcs, IEnumerable<RedfishPdu> pdus)
    {
        foreach (RedfishPdu pdu in pdus)
        {
            pdu.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        }
        foreach (GpioController chip in _chips.Values)
        {
            chip.Dispose();
        }
        _chips.Clear();
        DisposeAddons();
        foreach (IBmc? bmc in bmcs)
        {
            bmc?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        }
    }

    // A server with a BMC (IPMI or Redfish) is a remote machine, not one of this board's RAPL packages.
    private static bool IsRemote(ServerConfig s) => s.Bmc is not null || s.Redfish is not null;

    private RedfishPduAgent StartPduAgent(string address, RedfishPdu pdu, List<ServerConfig> slots, TimeProvider time)
    {
        List<string> outlets = [];
        List<string> servers = [];
        RedfishOutletConfig? endpoint = null;
        for (int i = 0; i < slots.Count; i++)
        {
            if (slots[i].Outlet is { Redfish: { } o } outlet && string.Equals(o.Address.TrimEnd('/'), address, StringComparison.OrdinalIgnoreCase))
            {
                endpoint ??= o;
                _pduSlot[i] = outlets.Count;
                _outletGuards[i] = new PowerSwitchGuard(TimeSpan.FromSeconds(outlet.MinimumDwellSeconds), outlet.MaxTogglesPerHour, time);
                outlets.Add(o.Outlet);
                servers.Add(_names[i]);
            }
        }
        var agent = new RedfishPduAgent(pdu, endpoint!, outlets, servers, _journal, _log);
        for (int i = 0; i < slots.Count; i++)
        {
            if (_outletGuards[i] is not null && _pduOf[i] is null && slots[i].Outlet!.Redfish is { } o && string.Equals(o.Address.TrimEnd('/'), address, StringComparison.OrdinalIgnoreCase))
            {
                _pduOf[i] = agent;
            }
        }
        agent.Start();
        return agent;
    }
}
