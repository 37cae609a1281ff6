#!/usr/bin/env bash
# One emulated arm64 board with real kernel devices under the arm64 edgegov (guest/hardware.sh, configs/hardware.json):
# PDU outlet relays on gpio-sim lines, an LM75 on i2c-stub read through the kernel's lm75 hwmon driver, and the I2C
# add-ons (guest/addons.sh): a relay on an MCP23017 and a second LM75 on i2c-stub through hal's add-ons (Iot.Device.Mcp23017). The guest
# script checks gpio-sim's sysfs (dwell, toggle cap, restore on SIGTERM); the host scrapes /metrics while it runs.
# It also runs edgegov-boardcheck (EdgeGovernor.BoardCheck, AOT arm64): hal's GPIO driver ioctls against gpio-sim, and
# hal's I2C device and add-ons (I2C_FUNCS/I2C_SLAVE/I2C_SMBUS ioctls) against i2c-stub.
# Usage: hardware.sh <setup-dir> <arm64 edgegov> <work-dir> <arm64 edgegov-boardcheck>.
# Exit status = failed checks (0: all passed).
set -uo pipefail
setup=$1 bin=$2 work=$3 boardcheck=$4
mkdir -p "$work"
source "$(dirname "$0")/lib.sh"
initrd=$work/hardware.cpio
extra=$(mktemp -d)
install -D -m 0755 "$boardcheck" "$extra/bin/edgegov-boardcheck"
BOARD_EXTRA=$extra board_initrd "$setup" "$bin" "$initrd"
rm -rf "$extra"
rm -f "$work/board-hw.log"
trap 'board_kill hw' EXIT
echo "== hardware board: gpio-sim relays, LM75 on i2c-stub (timings: TCG emulation)"
board_boot hw 1 hardware
if t=$(wait_line hw 'board: edgegov running' 240); then
  # The guest sets the inlet LM75 (I2C add-on at 0x49, read by hal's I2C sensor) to 33.5 degC a few seconds in, before
  # the hwmon LM75 is raised to 41 degC: the host must see 33.5 as the rack's hottest temperature.
  wait_line hw 'board: inlet LM75 at 0x49 set to 33.5' 120 >/dev/null
  sleep 2
  m=$(metrics hw)
  check "hardware board /metrics scraped from the host ($(echo "$m" | grep -c '^edgegov_') samples, edgegov_up $(echo "$m" | awk '$1 == "edgegov_up" {print $2}'))" \
    [ "$(echo "$m" | awk '$1 == "edgegov_up" {print $2}')" = 1 ]
  temp=$(echo "$m" | awk '$1 == "edgegov_rack_max_temperature_celsius" {print $2}')
  check "the inlet LM75 on i2c-stub set to 33.5 degC, read through the I2C add-on, in /metrics scraped from the host (edgegov_rack_max_temperature_celsius $temp)" \
    [ "$temp" = 33.5 ]
else
  check "edgegov starts on the hardware board" false
fi
# GPIO operator inputs: while the guest holds the maintenance line asserted, the host sees the held safe policy.
if wait_line hw 'board: maintenance line asserted' 240 >/dev/null; then
  sleep 2
  m=$(metrics hw)
  held=$(echo "$m" | awk '$1 == "edgegov_safe_policy_held" {print $2}')
  mode=$(curl -s --max-time 10 -H "Authorization: Bearer $board_token" "http://127.0.0.1:${BOARD_HTTP_hw}/status" | grep -o '"safePolicyHeld": *[a-z]*' | tr -d ' ')
  check "maintenance input on gpio-sim holds the running edgegov at its safe policy, seen from the host (edgegov_safe_policy_held $held, /status $mode)" \
    [ "$held" = 1 -a "$mode" = '"safePolicyHeld":true' ]
else
  check "the guest asserted the maintenance line" false
fi
wait_line hw 'board: hardware checks done|Power down|script hardware exited' 240 >/dev/null ||
  check "hardware board finished its checks in time" false
while IFS= read -r l; do
  case "$l" in
    "CHECK ok "*) check "${l#CHECK ok }" true ;;
    "CHECK FAIL "*) check "${l#CHECK FAIL }" false ;;
    "NOTE "*) note "${l#NOTE }" ;;
  esac
done < <(cut -d' ' -f2- "$work/board-hw.log")
grep -q 'board: hardware checks done' "$work/board-hw.log" || check "the guest's hardware script ran to its end" false
exit "$failed"
