# I2C add-ons of the hardware board, sourced by guest/hardware.sh (configs/hardware.json: rack.addons).
#   i2c-stub also answers at 0x20 (an MCP23017 relay expander, register file set up here) and 0x49 (a second LM75 that no
#   kernel driver holds, read only by edgegov through hal's I2C sensor). i2c-stub is an SMBus-only register file:
#   edgegov's hal talks to it with I2C_SMBUS ioctls, and a write to GPIO stays in GPIO (a real MCP23017 forwards it to
#   OLAT and reads an output's latch back in GPIO), so the relay's level is read in GPIOA, directions in IODIR, and
#   OLAT must keep what the chip held. GPIOB is not checked: the binding's reset writes GPIO 0x0000, which a real chip
#   puts into OLAT (hal then rewrites OLAT) and i2c-stub keeps in GPIOB.
# addons_setup <bus> <lm75 hwmon dir>   edgegov-boardcheck i2c (hal's I2C code on arm64), then the register maps
# addons_configure <config>             puts the bus number into the config
# addons_watch_start                    watches GPA0 (node-c's relay), its registers and the temperature metric
# addons_check_running                  registers after start and after the switch, toggle cap, the inlet LM75
# addons_before_stop                    GPA0 just before SIGTERM
# addons_check_stopped                  after SIGTERM: GPA0 back at its level, the other registers untouched

amcp=0x20
# MCP23017 registers (IOCON.BANK = 0): IODIRA/B, GPIOA/B, OLATA/B.
regs() { # regs: "IODIRA IODIRB GPIOA GPIOB OLATA OLATB" as i2cget prints them
  for r in 0x00 0x01 0x12 0x13 0x14 0x15; do printf '%s ' "$(i2cget -f -y "$abus" $amcp $r b)"; done
}
ametric() { # ametric <name>: one sample of the board's own /metrics
  wget -q --header "Authorization: Bearer $(cat /run/edgegov/http.token)" -O - http://127.0.0.1:9464/metrics 2>/dev/null |
    awk -v k="$1" '$1 == k {print $2}'
}

addons_setup() {
  abus=$1
  if [ -x /bin/edgegov-boardcheck ]; then
    /bin/edgegov-boardcheck i2c "$abus" "$2/temp1_input"
    echo "NOTE edgegov-boardcheck i2c exited with $?"
  fi
  # MCP23017 as found at power-on: every pin an input (IODIR 0xff), latches and GPIO 0; except GPB1 (pin 9), which a
  # previous owner left an output driving high (IODIRB 0xfd, OLATB 0x02, GPIOB 0x02): the binding resets the chip, hal
  # must undo that.
  r=0
  while [ $r -le 21 ]; do i2cset -y "$abus" $amcp $r 0x00 b; r=$((r + 1)); done
  i2cset -y "$abus" $amcp 0x00 0xff b
  i2cset -y "$abus" $amcp 0x01 0xfd b
  i2cset -y "$abus" $amcp 0x13 0x02 b
  i2cset -y "$abus" $amcp 0x15 0x02 b
  # Second LM75 (the inlet sensor of rack.addons): 30.0 degC (a word goes low byte first: MSB 0x1e, LSB 0x00).
  i2cset -y "$abus" 0x49 0x01 0x00 b
  i2cset -y "$abus" 0x49 0x00 0x001e w
  set -- $(regs)
  areg0="$*"
  ga0=$(( $3 & 1 ))
  echo "NOTE MCP23017 before edgegov (IODIRA IODIRB GPIOA GPIOB OLATA OLATB): $areg0; GPA0 (node-c's active-low relay) $ga0"
}

addons_configure() {
  sed -i "s|@I2CBUS@|$abus|g" "$1"
}

addons_watch_start() {
  (
    : >/tmp/addon-changes; : >/tmp/addon-temps
    p=$ga0 i=0 seen=
    while [ $i -lt 136 ]; do
      c=$(( $(i2cget -f -y "$abus" $amcp 0x12 b) & 1 ))
      if [ "$c" != "$p" ]; then
        echo "$(now) $c" >>/tmp/addon-changes; echo "board: MCP23017 GPA0 -> $c"; p=$c
        [ -s /tmp/addon-regs-switched ] || regs >/tmp/addon-regs-switched
      fi
      if [ $i = 16 ]; then
        i2cset -y "$abus" 0x49 0x00 0x8021 w   # 33.5 degC: MSB 0x21, LSB 0x80
        echo "board: inlet LM75 at 0x49 set to 33.5 degC"
      fi
      if [ $((i % 4)) = 0 ]; then
        t=$(ametric edgegov_rack_max_temperature_celsius)
        # The registers once edgegov answers (the rack, expander included, is open by then).
        [ -n "$t" ] && [ ! -s /tmp/addon-regs-started ] && echo "$(now) $p $(regs)" >/tmp/addon-regs-started
        [ -n "$t" ] && case " $seen " in *" $t "*) ;; *) seen="$seen $t"; echo "$t" >>/tmp/addon-temps ;; esac
      fi
      i=$((i + 1)); usleep 250000
    done
  ) &
  addon_watcher=$!
}

addons_check_running() {
  wait $addon_watcher
  # <uptime> <GPA0 as last seen by the watcher> <registers>: GPA0 must be what the relay held then.
  set -- $(cat /tmp/addon-regs-started 2>/dev/null) none none
  held=$2; shift 2
  expect "MCP23017 once edgegov answers: IODIRA $1 (GPA0 an output, the rest inputs), GPA0 $(( ${3:-0} & 1 )) as held ($held; found $ga0), GPB1 still an output latched high (IODIRB $2, OLATB ${6:-}: the binding's reset undone)" \
    [ "$1" = 0xfe -a "$(( ${3:-0} & 1 ))" = "$held" -a "$2" = 0xfd -a "${6:-}" = 0x02 ]
  n=$(wc -l </tmp/addon-changes)
  echo "NOTE MCP23017 GPA0: $n changes: $(awk '{printf "%s@%ss ", $2, $1}' /tmp/addon-changes)"
  expect "relay on MCP23017 GPA0 switched by the policy through Iot.Device.Mcp23017 over I2C_SMBUS ($n changes seen with i2cget)" [ "$n" -ge 1 ]
  expect "relay on MCP23017 GPA0: toggle cap of 1 an hour holds (exactly 1 change in 34 s of hourly price swings, saw $n)" [ "$n" = 1 ]
  if [ -s /tmp/addon-regs-switched ]; then
    set -- $(cat /tmp/addon-regs-switched)
    expect "MCP23017 after the first switch: GPIOA $3 (GPA0 $(( $3 & 1 )), was $ga0, no other pin moved), IODIRA $1, IODIRB $2, OLATA $5, OLATB $6 unchanged" \
      [ "$(( $3 & 1 ))" != "$ga0" -a "$(( $3 & 0xfe ))" = 0 -a "$1" = 0xfe -a "$2" = 0xfd -a "$5" = 0x00 -a "$6" = 0x02 ]
  fi
  temps=$(tr '\n' ' ' </tmp/addon-temps)
  # hwmon LM75 25.5 < inlet LM75 30 (hal's I2C sensor) -> inlet 33.5 (its register changed) -> hwmon 41 (its register
  # changed): the metric shows 30, 33.5, 41 in that order and never 25.5 (the inlet sensor is sampled from the start).
  expect "edgegov_rack_max_temperature_celsius follows the inlet LM75 at 0x49 read by hal's I2cTemperatureSensor (30, then 33.5 after its register changed), then the hwmon LM75 (41), never 25.5: seen $temps" \
    awk -v s="$temps" 'BEGIN { split("30 33.5 41", want, " "); n = split(s, v, " "); j = 1
      for (i = 1; i <= n; i++) { if (v[i] + 0 == 25.5) exit 1; if (j <= 3 && v[i] + 0 == want[j] + 0) j++ }
      exit !(j == 4) }'
}

addons_before_stop() { # GPA0 while edgegov still runs: switched away from its original level (the cap kept it there)
  gstop=$(( $(i2cget -f -y "$abus" $amcp 0x12 b) & 1 ))
}

addons_check_stopped() {
  set -- $(regs)
  expect "SIGTERM restored the MCP23017 relay: GPA0 $gstop before SIGTERM, $(( $3 & 1 )) after (originally $ga0), no other pin moved, GPB1 still an output latched high; registers $*, before edgegov $areg0" \
    [ "$gstop" != "$ga0" -a "$(( $3 & 1 ))" = "$ga0" -a "$(( $3 & 0xfe ))" = 0 -a "$2" = 0xfd -a "$5" = 0x00 -a "$6" = 0x02 ]
}
