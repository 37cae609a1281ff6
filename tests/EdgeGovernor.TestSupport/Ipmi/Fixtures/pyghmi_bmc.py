#!/usr/bin/python3
"""A BMC built on pyghmi's IPMI server (Debian python3-pyghmi): EdgeGovernor's second real RMCP+ peer.

Usage: pyghmi_bmc.py <port> <user> <password> <state dir> [control delay s] [limit action]
Chassis control is logged to <state dir>/chassis.log, one line per command carried out
("on", "off", "cycle", "reset", "shutdown"), after <control delay> seconds: pyghmi handles one
datagram at a time, so a slow command holds up everything behind it, as on a busy BMC.
DCMI (NetFn 0x2C, group 0xDC): Get Power Reading (320 W), Get Power Limit (active, 210 W,
2500 ms, 3 s, exception action <limit action>) or completion code 0x80 without one.
"""
import os
import struct
import sys
import time

import pyghmi.ipmi.bmc as bmc


class EdgeBmc(bmc.Bmc):
    def __init__(self, authdata, port, state_dir, delay, limit_action):
        super().__init__(authdata, port=port, address='127.0.0.1')
        self.state_dir = state_dir
        self.delay = delay
        self.limit_action = limit_action
        self.powerstate = 'on'

    def _log(self, what):
        time.sleep(self.delay)
        with open(os.path.join(self.state_dir, 'chassis.log'), 'a') as f:
            f.write(what + '\n')

    def get_power_state(self):
        return self.powerstate

    def power_off(self):
        self._log('off')
        self.powerstate = 'off'

    def power_on(self):
        self._log('on')
        self.powerstate = 'on'

    def power_cycle(self):
        self._log('cycle')
        self.powerstate = 'on'

    def power_reset(self):
        self._log('reset')

    def power_shutdown(self):
        self._log('shutdown')
        self.powerstate = 'off'

    def is_active(self):
        return self.powerstate == 'on'

    def handle_raw_request(self, request, session):
        if request['netfn'] == 0x2c and len(request['data']) > 0 and request['data'][0] == 0xdc:
            if request['command'] == 0x02:  # Get Power Reading
                data = [0xdc] + list(struct.pack('<HHHHIIB', 320, 300, 340, 320, 0, 1000, 0x40))
                return session.send_ipmi_response(data=data)
            if request['command'] == 0x03:  # Get Power Limit
                if self.limit_action is None:
                    return session.send_ipmi_response(data=[0xdc], code=0x80)
                data = [0xdc, 0, 0, self.limit_action] + list(struct.pack('<HIHH', 210, 2500, 0, 3))
                return session.send_ipmi_response(data=data)
            return session.send_ipmi_response(code=0xc1)
        return super().handle_raw_request(request, session)


def main():
    port, user, password, state_dir = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    delay = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
    action = int(sys.argv[6], 0) if len(sys.argv) > 6 and sys.argv[6] != 'none' else None
    EdgeBmc({user: password}, port, state_dir, delay, action).listen()


if __name__ == '__main__':
    sys.exit(main())
