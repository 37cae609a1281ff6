#!/bin/sh
# Chassis-control script for ipmi_sim (lan.conf: chassis_control "<this script> <state dir>").
# ipmi_sim runs: <script> <state dir> get power ... | set power 0/1 | set shutdown 1 | set reset 1 | check ...
# The power state lives in <state dir>/power ("0" or "1"); the DCMI module reads the same file.
# Every call is appended to <state dir>/chassis.log so tests can observe what the BMC did.
dir=$1
shift
echo "$*" >> "$dir/chassis.log"
op=$1
shift
case $op in
  get)
    for p in "$@"; do
      case $p in
        power) if [ -f "$dir/power" ]; then echo "power:$(cat "$dir/power")"; else echo "power:0"; fi ;;
        boot) echo "boot:default" ;;
      esac
    done
    ;;
  set)
    while [ $# -ge 2 ]; do
      case $1 in
        power) echo "$2" > "$dir/power.tmp" && mv "$dir/power.tmp" "$dir/power" ;;
        # A guest that honours the ACPI soft-off request powers down.
        shutdown) [ "$2" = "1" ] && echo 0 > "$dir/power.tmp" && mv "$dir/power.tmp" "$dir/power" ;;
      esac
      shift 2
    done
    ;;
  check) ;;
  *) exit 1 ;;
esac
exit 0
