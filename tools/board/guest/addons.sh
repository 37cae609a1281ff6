# I2C add-ons of the hardware board, sourced by guest/hardware.sh (configs/hardware.json: rack.addons).
#   i2c-stub also answers at 0x20 (an MCP23017 relay expander, register file set up here) and 0x49 (a second LM75 that no
#   kernel driver holds, read only by edgegov through the Iot.Device binding). i2c-stub is an SMBus-only register file:
#   edgegov's hal talks to it with I2C_SMBUS ioctls, and a write to GPIO stays in GPIO (a real MCP23017 forwards it to OLAT).
# addons_setup <bus> <lm75 hwmon dir>   register maps, then edgegov-boardcheck i2c (hal's I2C code on arm64)
# addons_configure <config>             puts the bus number into the config
# addons_watch_start                    watches GPA0 (node-c's relay) and the temperature metric while edgegov runs
# addons_check_running                  dwell/toggle cap of the expander relay, the binding's LM75 in the metrics
# addons_check_stopped                  after SIGTERM: GPA0 back at its level, the binding's reset undone

addons_setup() {
  abus=$1
  # MCP23017 (BANK = 0) as found at power-on: every pin an input (IODIR 0xff), latches 0; except GPB1 (pin 9), which a
  # previous owner left an output driving high (IODIRB 0xfd, OLATB 0x02): the binding resets the chip, hal must undo that.
  i2cset -y "$abus" 0x20 0x00 0xff b
  i2cset -y "$abus" 0x20 0x01 0xfd b
  r=2
  while [ $r -le 21 ]; do i2cset -y "$abus" 0x20 $r 0x00 b; r=$((r + 1)); done
  i2cset -y "$abus" 0x20 0x15 0x02 b
  # Second LM75: 30.0 degC (a word read is byte-swapped: MSB 0x1e, LSB 0x00).
  i2cset -y "$abus" 0x49 0x01 0x00 b
  i2cset -y "$abus" 0x49 0x00 0x001e w
  if [ -x /bin/edgegov-boardcheck ]; then
    /bin/edgegov-boardcheck i2c "$abus" "$2/temp1_input"
    echo "NOTE edgegov-boardcheck i2c exited with $?"
  fi
  ga0=$(( $(i2cget -f -y "$abus" 0x20 0x12 b) & 1 ))
  echo "NOTE MCP23017 GPA0 (node-c's active-low relay) before edgegov: $ga0 (low: outlet on)"
}

addons_configure() {
  sed -i "s|@I2CBUS@|$abus|g" "$1"
}

addons_watch_start() {
  (
    : >/tmp/addon-changes
    p=$ga0 i=0 seen=
    while [ $i -lt 136 ]; do
      c=$(( $(i2cget -f -y "$abus" 0x20 0x12 b) & 1 ))
      [ "$c" != "$p" ] && { echo "$(now) $c" >>/tmp/addon-changes; echo "board: MCP23017 GPA0 -> $c"; p=$c; }
      if [ $((i % 4)) = 0 ] && wget -q -O /tmp/addon-metrics http://127.0.0.1:9464/metrics 2>/dev/null; then
        t=$(awk '$1 == "edgegov_rack_max_temperature_celsius" {print $2}' /tmp/addon-metrics)
        case " $seen " in *" $t "*) ;; *) seen="$seen $t"; echo "$t" >>/tmp/addon-temps ;; esac
      fi
      i=$((i + 1)); usleep 250000
    done
  ) &
  addon_watcher=$!
}

addons_check_running() {
  wait $addon_watcher
  n=$(wc -l </tmp/addon-changes)
  gap=$(awk '{ if (p != "") { g = $1 - p; if (min == "" || g < min) min = g } p = $1 } END { print (min == "" ? "none" : min) }' /tmp/addon-changes)
  echo "NOTE MCP23017 GPA0: $n changes, shortest gap ${gap} s: $(awk '{printf "%s@%ss ", $2, $1}' /tmp/addon-changes)"
  expect "relay on MCP23017 GPA0 driven by the firmware through Iot.Device.Mcp23017 over I2C_SMBUS ($n changes seen with i2cget)" [ "$n" -ge 1 ]
  expect "relay on MCP23017 GPA0: toggle cap holds (at most 2 changes in 34 s, saw $n)" [ "$n" -le 2 ]
  expect "relay on MCP23017 GPA0: dwell holds (changes at least 8 s apart, shortest $gap s)" awk -v g="$gap" 'BEGIN { exit !(g == "none" || g >= 7.9) }'
  iodira=$(i2cget -f -y "$abus" 0x20 0x00 b)
  expect "GPA0 is an output while edgegov runs (IODIRA $iodira)" [ $(( iodira & 1 )) = 0 ]
  iodirb=$(i2cget -f -y "$abus" 0x20 0x01 b); olatb=$(i2cget -f -y "$abus" 0x20 0x15 b)
  expect "the MCP23017 binding's reset was undone: GPB1 still an output latched high (IODIRB $iodirb, OLATB $olatb)" [ "$iodirb" = 0xfd -a "$olatb" = 0x02 ]
  temps=$(tr '\n' ' ' </tmp/addon-temps 2>/dev/null)
  expect "the firmware reads the LM75 at 0x49 through Iot.Device.Lm75: 30 degC in edgegov_rack_max_temperature_celsius before the hwmon LM75 passed it (seen: $temps)" \
    grep -qx 30 /tmp/addon-temps
}

addons_check_stopped() {
  g=$(( $(i2cget -f -y "$abus" 0x20 0x12 b) & 1 ))
  expect "SIGTERM restored the MCP23017 relay: GPA0 $g (originally $ga0)" [ "$g" = "$ga0" ]
}
