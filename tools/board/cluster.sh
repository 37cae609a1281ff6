#!/usr/bin/env bash
# Three emulated arm64 boards running the arm64 edgegov as one cluster (configs/cluster.json, a simulated rack each),
# on their own Ethernet segment (QEMU socket multicast on the host's loopback). The host, on its own clock:
#   1. powers the boards on; they elect a coordinator (time to first heartbeat and to a known coordinator);
#   2. checks that every board applies the same prices, and measures price propagation (the coordinator's
#      "published price index=K" line to each follower's "held price index=K" line);
#   3. scrapes /metrics of every board from the host (QEMU port forward);
#   4. pulls the coordinator's plug: a new coordinator is elected (failover time) and prices continue;
#   5. powers that board on again: it rejoins and applies the cluster's prices.
# Usage: cluster.sh <setup-dir> <arm64 edgegov> <work-dir>. Prints check lines; exit status = failed checks (0: all passed).
# Figures are TCG emulation figures (boards emulated in software on a shared host), not hardware timings.
set -uo pipefail
setup=$1 bin=$2 work=$3
mkdir -p "$work"
source "$(dirname "$0")/lib.sh"

boards=(1 2 3)
epoch_ms=$(( ${EPOCHREALTIME/./} / 1000 ))
initrd=$work/cluster.cpio
board_initrd "$setup" "$bin" "$initrd" "EPOCH_MS=$epoch_ms"
seg="230.0.42.$((1 + RANDOM % 250)):$(free_port)"
rm -f "$work"/board-n*.log
trap 'for b in "${boards[@]}"; do board_kill n$b; done' EXIT

echo "== cluster: 3 boards on segment $seg (timings: TCG emulation)"
for b in "${boards[@]}"; do board_boot "n$b" "$b" cluster "$seg"; done

# 1. election
coord=""
for b in "${boards[@]}"; do
  t=$(wait_line "n$b" 'coordinator of term' 240) || { check "board $b knows a coordinator" false; continue; }
  on_var="BOARD_ON_n$b"
  hb=$(awk '/first heartbeat sent/ {for (i = 1; i <= NF; i++) if ($i == "sent") print $(i + 1); exit}' "$work/board-n$b.log")
  init=$(awk '/board: node .* up at/ {print $1; exit}' "$work/board-n$b.log")
  note "board $b: power-on -> /init $(secs "${!on_var}" "${init:-${!on_var}}") s; edgegov start -> first heartbeat ${hb:-?} ms; /init -> coordinator known $(secs "${init:-${!on_var}}" "$t") s"
done
sleep 3
declare -A leader
for b in "${boards[@]}"; do
  leader[$b]=$(grep -oE 'coordinator of term [0-9]+ (\(this node\)|is node [0-9]+)' "$work/board-n$b.log" | tail -1 |
    sed -E "s/.*\(this node\)/$b/; s/.*is node //")
done
coord=${leader[1]}
same=1; for b in "${boards[@]}"; do [ "${leader[$b]}" = "$coord" ] || same=0; done
check "all 3 boards agree on one coordinator (node ${coord:-none})" [ -n "$coord" -a "$same" = 1 ]
[ -n "$coord" ] || { echo "no coordinator: giving up the cluster run"; exit 1; }

# 2. prices: propagation and agreement
follower_of() { for b in "${boards[@]}"; do [ "$b" = "$1" ] || echo "$b"; done; }
prop() { # prop <coordinator> <since>: prints the propagation delays (s) of records published after <since>
  local c=$1 since=$2 f idx tp th until
  until=$(awk -v n="$EPOCHREALTIME" 'BEGIN {printf "%.3f", n - 2}')   # records published in the last 2 s may be in flight
  for idx in $(awk -v s="$since" -v u="$until" '$1 > s && $1 < u && /published price index=/ {sub(/.*index=/, ""); print $1}' "$work/board-n$c.log"); do
    tp=$(awk -v s="$since" -v k="index=$idx" '$1 > s && /published price/ && index($0, k " ") {print $1; exit}' "$work/board-n$c.log")
    for f in $(follower_of "$c"); do
      [ -f "$work/board-n$f.log" ] || continue
      th=$(awk -v s="$since" -v k="index=$idx" '$1 > s && /held price/ && index($0, k " ") {print $1; exit}' "$work/board-n$f.log")
      if [ -n "$th" ]; then secs "$tp" "$th"; else echo "missing"; fi
    done
  done
}
agree() { # agree <since> <boards...>: every interval applied (after since) has one price on all boards given; prints count
  local since=$1; shift
  local b
  for b in "$@"; do
    awk -v s="$since" -v b="$b" '$1 > s && /applied price/ {
      st = ""; p = ""
      for (i = 1; i <= NF; i++) { if ($i ~ /^start_ms=/) st = substr($i, 10); if ($i ~ /^price_e4=/) p = substr($i, 10) }
      print st, p, b }' "$work/board-n$b.log"
  done | sort -n | awk -v n=$# '{ c[$1]++; if (!($1 in p)) p[$1] = $2; else if (p[$1] != $2) bad = 1 }
    END { k = 0; for (s in c) if (c[s] == n) k++; if (bad) { print "conflict"; exit 1 } print k }'
}
t0=${EPOCHREALTIME}
wait_line "n$coord" 'published price' 60 >/dev/null
sleep 25   # two to three new intervals (one market hour = 10 s)
n=$(agree 0 "${boards[@]}")
check "every board applied the same price for each interval (${n} intervals applied by all 3)" [ "$n" != conflict -a "${n:-0}" -ge 2 ]
all=$(prop "$coord" 0)
d=$(echo "$all" | grep -v missing | sort -n)
lost=$(echo "$all" | grep -c missing)
if [ -n "$d" ]; then
  note "price propagation (published on the coordinator -> held on a follower), $(echo "$d" | wc -l) deliveries: min $(echo "$d" | head -1) s, median $(echo "$d" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') s, max $(echo "$d" | tail -1) s"
fi
check "both followers hold every record the coordinator published ($(echo "$d" | grep -c .) deliveries, $lost missing)" [ "$lost" -eq 0 -a "$(echo "$d" | grep -c .)" -ge 4 ]

# 3. /metrics from the host
for b in "${boards[@]}"; do
  m=$(metrics "n$b")
  check "board $b /metrics scraped from the host ($(echo "$m" | grep -c '^edgegov_') samples)" \
    bash -c '[ "$(echo "$1" | awk '"'"'$1=="edgegov_up" {print $2}'"'"')" = 1 ]' _ "$m"
  price[$b]=$(echo "$m" | awk '$1 == "edgegov_price_ct_per_kwh" {print $2}')
  cn=$(echo "$m" | awk '$1 == "edgegov_coordinator_node" {print $2}')
  members=$(echo "$m" | awk '$1 == "edgegov_members" {print $2}')
  note "board $b metrics: price ${price[$b]} ct/kWh, coordinator ${cn}, members ${members}"
done

# 4. the coordinator's plug pulled
tk=$EPOCHREALTIME
echo "== pulling the plug of board $coord (the coordinator)"
board_kill "n$coord"
survivors=($(follower_of "$coord"))
newc=""
for b in "${survivors[@]}"; do
  t=$(wait_line "n$b" 'coordinator of term [0-9]+ (\(this node\)|is node [0-9]+)' 60 "$tk") || { check "board $b sees a new coordinator" false; continue; }
  line=$(awk -v s="$t" '$1 == s' "$work/board-n$b.log" | head -1)
  c=$(echo "$line" | grep -oE '\(this node\)|is node [0-9]+' | sed -E "s/\(this node\)/$b/; s/is node //")
  note "board $b: new coordinator node $c after $(secs "$tk" "$t") s (failover, TCG)"
  newc=${newc:-$c}
done
check "a new coordinator among the survivors (node ${newc:-none})" [ -n "$newc" -a "$newc" != "$coord" ]
sleep 22
n=$(agree "$tk" "${survivors[@]}")
check "prices continue after the failover (${n} new intervals applied by both survivors, same price)" [ "$n" != conflict -a "${n:-0}" -ge 1 ]
[ -n "$newc" ] && check "the new coordinator publishes" grep -q 'published price' <(awk -v s="$tk" '$1 > s' "$work/board-n$newc.log")

# 5. the killed board powered on again
tr=$EPOCHREALTIME
echo "== powering board $coord on again"
board_boot "n$coord" "$coord" cluster "$seg"
t=$(wait_line "n$coord" 'coordinator of term [0-9]+ is node' 240 "$tr") && note "board $coord: rejoined, coordinator known $(secs "$tr" "$t") s after power-on"
check "the restarted board follows the new coordinator" [ -n "${t:-}" ]
t=$(wait_line "n$coord" 'applied price' 60 "$tr")
check "the restarted board applies prices" [ -n "${t:-}" ]
sleep 12
n=$(agree "$t" "${boards[@]}")
check "all 3 boards apply the same prices after the restart (${n} intervals)" [ "$n" != conflict -a "${n:-0}" -ge 1 ]
for b in "${boards[@]}"; do
  mem=$(metric "n$b" edgegov_members)
  check "board $b sees 3 members" [ "${mem:-0}" = 3 ]
done
exit "$failed"
