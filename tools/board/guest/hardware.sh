#!/bin/sh
# Hardware board: real kernel devices under the arm64 edgegov (configs/hardware.json).
#   gpio-sim chip with 8 lines (configfs) -> the two PDU outlet relays on lines 0 and 1;
#   i2c-stub at 0x48 + the kernel's lm75 driver -> a real hwmon device read by the firmware's sysfs hwmon reader;
#   i2c-stub at 0x20 and 0x49 -> an MCP23017 relay expander and a second LM75, the firmware's I2C add-ons (addons.sh);
#   a fake RAPL powercap tree (the virt machine has none) for the two servers.
# Prints "CHECK ok|FAIL <what>" and "NOTE <figure>" lines for tools/board/hardware.sh, which also scrapes /metrics
# from the host while "board: edgegov running" holds (until "board: stopping edgegov").
ok() { echo "CHECK ok $*"; }
fail() { echo "CHECK FAIL $*"; }
expect() { # expect <what> <condition...>
  what=$1; shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}
now() { cut -d' ' -f1 /proc/uptime; }

for m in configfs gpio-sim i2c-stub i2c-dev lm75; do
  case $m in
    i2c-stub) insmod /lib/modules/$m.ko chip_addr=0x48,0x49,0x20 ;;
    *) insmod /lib/modules/$m.ko ;;
  esac || fail "insmod $m"
done

# gpio-sim: one bank of 8 lines.
mount -t configfs none /sys/kernel/config
g=/sys/kernel/config/gpio-sim/board
mkdir -p $g/bank0
echo 8 >$g/bank0/num_lines
echo edgegov-sim >$g/bank0/label
echo 1 >$g/live
chip=$(cat $g/bank0/chip_name)
sim=/sys/devices/platform/$(cat $g/dev_name)/$chip
expect "gpio-sim chip /dev/$chip is live ($sim)" [ -c "/dev/$chip" -a -e "$sim/sim_gpio0/value" ]
v0=$(cat $sim/sim_gpio0/value); v1=$(cat $sim/sim_gpio1/value)
echo "NOTE gpio-sim lines 0 and 1 before edgegov: $v0 $v1 (pull-down: outlets on, active-low)"

# hal's GPIO character-device driver (uAPI v2 ioctls, AOT arm64) against gpio-sim, lines 4..6.
if [ -x /bin/edgegov-boardcheck ]; then
  /bin/edgegov-boardcheck gpio "/dev/$chip" "$sim"
  echo "NOTE edgegov-boardcheck gpio exited with $?"
  # signatures: Ed25519 sign/verify timing per message kind (TCG emulation)
  /bin/edgegov-boardcheck sign 200
  echo "NOTE edgegov-boardcheck sign exited with $?"
else
  fail "edgegov-boardcheck is on the board"
fi

# LM75 on i2c-stub: 25.5 degC in the temperature register (a word read is byte-swapped: MSB 0x19, LSB 0x80).
bus=
for a in /sys/bus/i2c/devices/i2c-*; do
  [ "$(cat $a/name)" = "SMBus stub driver" ] && bus=${a##*/i2c-}
done
expect "i2c-stub adapter i2c-$bus" [ -n "$bus" ]
i2cset -y "$bus" 0x48 0x01 0x00 b
i2cset -y "$bus" 0x48 0x02 0x004b w
i2cset -y "$bus" 0x48 0x03 0x0050 w
i2cset -y "$bus" 0x48 0x00 0x8019 w
echo lm75 0x48 >/sys/bus/i2c/devices/i2c-$bus/new_device
hw=
for h in /sys/class/hwmon/hwmon*; do [ "$(cat $h/name 2>/dev/null)" = lm75 ] && hw=$h; done
t=$(cat $hw/temp1_input 2>/dev/null)
expect "lm75 hwmon device ${hw##*/} reads 25.5 degC from i2c-stub (temp1_input $t)" [ "$t" = 25500 ]
. /board/addons.sh
addons_setup "$bus" "$hw"

# Fake RAPL packages (plain files) beside the real hwmon class.
r=/run/board-sysfs/sys/class
mkdir -p $r/powercap
for z in 0 1 2; do
  d=$r/powercap/intel-rapl:$z
  mkdir -p $d
  echo package-$z >$d/name
  echo 262143328850 >$d/max_energy_range_uj
  echo 1000000 >$d/energy_uj
  echo 1 >$d/enabled
  echo long_term >$d/constraint_0_name
  echo 300000000 >$d/constraint_0_max_power_uw
  echo 250000000 >$d/constraint_0_power_limit_uw
  echo 999424 >$d/constraint_0_time_window_us
done
ln -s /sys/class/hwmon $r/hwmon

mkdir -p /run/edgegov
sed "s|@CHIP@|/dev/$chip|g" /board/hardware.json >/run/edgegov/edgegov.json
cp /board/cluster.key /board/http.token /run/edgegov/
chmod 600 /run/edgegov/cluster.key /run/edgegov/http.token
# signatures: this board's own signing key (mode 0600)
cp /board/signing1.key /run/edgegov/signing.key
chmod 600 /run/edgegov/signing.key
addons_configure /run/edgegov/edgegov.json

/bin/edgegov run --config /run/edgegov/edgegov.json &
pid=$!
start=$(now)
echo "board: edgegov running (pid $pid)"
addons_watch_start

# Watch the relay lines in gpio-sim's sysfs for 34 s; log every change with the board's uptime.
: >/tmp/changes
p0=$v0; p1=$v1
i=0
while [ $i -lt 136 ]; do
  c0=$(cat $sim/sim_gpio0/value); c1=$(cat $sim/sim_gpio1/value)
  [ "$c0" != "$p0" ] && { echo "0 $(now) $c0" >>/tmp/changes; echo "board: line 0 -> $c0"; p0=$c0; }
  [ "$c1" != "$p1" ] && { echo "1 $(now) $c1" >>/tmp/changes; echo "board: line 1 -> $c1"; p1=$c1; }
  if [ $i -eq 60 ]; then
    i2cset -f -y "$bus" 0x48 0x00 0x0029 w   # 41.0 degC; -f: the lm75 driver holds the address
    echo "board: lm75 set to 41.0 degC (temp1_input now $(cat $hw/temp1_input))"
  fi
  kill -0 $pid 2>/dev/null || break
  i=$((i + 1)); usleep 250000
done
expect "edgegov still running after 34 s on real devices" kill -0 $pid
wget -q --header "Authorization: Bearer $(cat /run/edgegov/http.token)" -O /tmp/metrics http://127.0.0.1:9464/metrics
m() { awk -v k="$1" '$1 == k {print $2}' /tmp/metrics; }
toggles=$(m edgegov_relay_toggles_total); refused=$(m edgegov_power_switch_refused_total); temp=$(m edgegov_rack_max_temperature_celsius)
hwerr=$(m edgegov_hardware_errors_total)
echo "NOTE metrics in the guest: relay toggles $toggles, switches refused $refused, max temperature $temp, hardware errors $hwerr"
expect "the firmware reads the LM75 through the kernel's hwmon: 41 degC after the register changed (metric $temp)" [ "$temp" = 41 ]

# Dwell and toggle cap, seen in gpio-sim's sysfs.
for line in 0 1; do
  n=$(awk -v l=$line '$1 == l' /tmp/changes | wc -l)
  gap=$(awk -v l=$line '$1 == l { if (p != "") { g = $2 - p; if (min == "" || g < min) min = g } p = $2 } END { print (min == "" ? "none" : min) }' /tmp/changes)
  echo "NOTE line $line: $n changes, shortest gap ${gap} s: $(awk -v l=$line '$1 == l {printf "%s@%ss ", $3, $2}' /tmp/changes)"
  expect "relay on line $line driven by the firmware through the GPIO character device ($n changes seen in gpio-sim sysfs)" [ "$n" -ge 1 ]
  expect "relay on line $line: toggle cap holds (at most 2 changes in 34 s, saw $n)" [ "$n" -le 2 ]
  expect "relay on line $line: dwell holds (changes at least 8 s apart, shortest $gap s)" awk -v g="$gap" 'BEGIN { exit !(g == "none" || g >= 7.9) }'
done
expect "the firmware refused switches the relays would not allow (edgegov_power_switch_refused_total $refused)" awk -v r="$refused" 'BEGIN { exit !(r > 0) }'
expect "journal of originals exists while running" [ -f /var/lib/edgegov/actuators.json ]

# --- GPIO operator inputs (rack.inputs): tachometer edges and the maintenance line, fed through gpio-sim's pull. ---
# After the relay checks: an asserted maintenance line holds the safe policy, which would stop the relays switching.
mg() { wget -q --header "Authorization: Bearer $(cat /run/edgegov/http.token)" -O - http://127.0.0.1:9464/metrics | awk -v k="$1" '$1 == k {print $2}'; }
e0=$(mg 'edgegov_fan_tachometer_edges_total{name="fan-1"}')
i=0
while [ $i -lt 40 ]; do
  echo pull-up >$sim/sim_gpio2/pull; usleep 25000
  echo pull-down >$sim/sim_gpio2/pull; usleep 25000
  i=$((i + 1))
done
sleep 2
e1=$(mg 'edgegov_fan_tachometer_edges_total{name="fan-1"}'); rpm=$(mg 'edgegov_fan_tachometer_rpm{name="fan-1"}')
echo "NOTE tachometer fan-1: edges $e0 -> $e1 after 40 pulses on gpio-sim line 2, rpm $rpm"
expect "tachometer on gpio-sim line 2 counts the 40 rising edges from the driver's edge events (edges $e0 -> $e1)" [ "$((e1 - e0))" = 40 ]
held0=$(mg edgegov_safe_policy_held)
echo pull-up >$sim/sim_gpio3/pull
echo "board: maintenance line asserted"
sleep 3
held=$(mg edgegov_safe_policy_held); asserted=$(mg 'edgegov_alarm_input_asserted{name="maintenance"}')
n=$(mg 'edgegov_alarm_input_assertions_total{name="maintenance"}')
wget -q --header "Authorization: Bearer $(cat /run/edgegov/http.token)" -O /tmp/status http://127.0.0.1:9464/status
expect "maintenance line on gpio-sim line 3 asserted: safe policy held (held $held0 -> $held, asserted $asserted, assertions $n)" [ "$held0" = 0 -a "$held" = 1 -a "$asserted" = 1 -a "$n" = 1 ]
expect "/status shows the held safe policy and the maintenance input" grep -q '"safePolicyHeld": *true' /tmp/status
sleep 3
echo pull-down >$sim/sim_gpio3/pull
sleep 2
expect "maintenance line released: the safe policy is no longer held (held $(mg edgegov_safe_policy_held))" [ "$(mg edgegov_safe_policy_held)" = 0 ]
echo "board: maintenance line released"
# --- end of GPIO operator inputs ---

addons_check_running

addons_before_stop
echo "board: stopping edgegov"
kill -TERM $pid
wait $pid
rc=$?
expect "edgegov exits 0 on SIGTERM (rc $rc)" [ "$rc" = 0 ]
a=$(cat $sim/sim_gpio0/value); b=$(cat $sim/sim_gpio1/value)
expect "SIGTERM restored every relay line to its original level (line 0: $a, line 1: $b; originally $v0 $v1)" [ "$a" = "$v0" -a "$b" = "$v1" ]
expect "state file deleted after the restore" [ ! -e /var/lib/edgegov/actuators.json ]
addons_check_stopped
echo "board: hardware checks done"
