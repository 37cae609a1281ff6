# Shared functions of the emulated-board harness (sourced by cluster.sh and hardware.sh).
# Boards are qemu-system-aarch64 "virt" machines booting Debian's arm64 kernel and an initramfs (setup.sh);
# each board's console goes to $work/board-<name>.log with the host's clock (EPOCHREALTIME) in front of every line,
# so times seen on different boards compare on one clock.

board_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
passed=${passed:-0}
failed=${failed:-0}
failures=${failures:-}

check() { # check <name> <condition...>: counts and prints one line per check
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "  ok   $name"
  else failed=$((failed + 1)); failures="$failures\n  $name"; echo "  FAIL $name"; fi
}
note() { echo "  --   $*"; }

# The cluster key of this run's boards (edgegov refuses the public example key): made once, shared by every initrd.
board_key=${board_key:-1:$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
# The boards serve /metrics on 0.0.0.0 (forwarded to the host), which edgegov allows only behind a token.
board_token=${board_token:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}

# board_initrd <setup-dir> <edgegov> <out.cpio> [key=value substitutions for configs...]
board_initrd() {
  local setup=$1 bin=$2 out=$3; shift 3
  local stage; stage=$(mktemp -d)
  cp -a "$setup/rootfs/." "$stage/"
  install -m 0755 "$board_dir/guest/init" "$stage/init"
  mkdir -p "$stage/board"
  install -m 0755 "$board_dir"/guest/*.sh "$stage/board/"
  cp "$board_dir"/configs/*.json "$board_dir"/configs/*.csv "$stage/board/"
  (umask 077 && printf '%s\n' "$board_key" >"$stage/board/cluster.key" && printf '%s\n' "$board_token" >"$stage/board/http.token")
  cp "$board_dir"/configs/signing*.key "$stage/board/" # signatures: the boards' emulation-only signing keys
  local kv
  for kv in "$@"; do sed -i "s|@${kv%%=*}@|${kv#*=}|g" "$stage"/board/*.json; done
  install -m 0755 "$bin" "$stage/bin/edgegov"
  [ -z "${BOARD_EXTRA:-}" ] || cp -a "$BOARD_EXTRA/." "$stage/"
  (cd "$stage" && find . | cpio -o -H newc --quiet) >"$out"
  rm -rf "$stage"
}

free_port() { # a TCP port on 127.0.0.1 nobody listens on
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# board_boot <name> <node> <script> [cluster-mcast host:port or ""] ; sets BOARD_PID_<name>, BOARD_HTTP_<name>
board_boot() {
  local name=$1 node=$2 script=$3 mcast=${4:-}
  local http; http=$(free_port)
  local net=(-netdev "user,id=h0,restrict=on,hostfwd=tcp:127.0.0.1:$http-10.0.2.15:9464"
             -device "virtio-net-device,netdev=h0,mac=52:54:00:43:00:0$node")
  if [ -n "$mcast" ]; then
    net+=(-netdev "socket,id=c0,mcast=$mcast,localaddr=127.0.0.1" -device "virtio-net-device,netdev=c0,mac=52:54:00:42:00:0$node")
  fi
  echo "$EPOCHREALTIME board: power on ($name, node $node, script $script, http 127.0.0.1:$http)" >>"$work/board-$name.log"
  nice -n 10 qemu-system-aarch64 -M virt -cpu cortex-a72 -m "${BOARD_MEM:-512}" -smp "${BOARD_SMP:-1}" \
    -display none -monitor none -serial stdio -no-reboot \
    -kernel "$setup/vmlinuz" -initrd "$initrd" \
    -append "console=ttyAMA0 rdinit=/init panic=-1 edgegov.script=$script edgegov.node=$node" \
    "${net[@]}" </dev/null > >(while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "${l%$'\r'}"; done >>"$work/board-$name.log") 2>&1 &
  printf -v "BOARD_PID_$name" %s $!
  printf -v "BOARD_HTTP_$name" %s "$http"
  printf -v "BOARD_ON_$name" %s "$EPOCHREALTIME"
}

board_kill() { # board_kill <name>: pulls the plug (SIGKILL to its qemu)
  local pid_var="BOARD_PID_$1"
  kill -9 "${!pid_var}" 2>/dev/null || true
  wait "${!pid_var}" 2>/dev/null || true
}

# wait_line <name> <regex> <timeout-s> [after-epoch]: prints the host time of the first matching console line
# (later than after-epoch), or returns 1 on timeout.
wait_line() {
  local name=$1 re=$2 timeout=$3 after=${4:-0} end t
  end=$(awk -v n="$EPOCHREALTIME" -v t="$timeout" 'BEGIN {printf "%.3f", n + t}')
  while :; do
    t=$(awk -v a="$after" -v re="$re" '$1 > a && $0 ~ re {print $1; exit}' "$work/board-$1.log" 2>/dev/null)
    [ -n "$t" ] && { echo "$t"; return 0; }
    awk -v n="$EPOCHREALTIME" -v e="$end" 'BEGIN {exit !(n > e)}' && return 1
    sleep 0.2
  done
}

metrics() { # metrics <name>: /metrics of the board, scraped from the host through the port forward
  local v="BOARD_HTTP_$1"
  curl -s --max-time 10 -H "Authorization: Bearer $board_token" "http://127.0.0.1:${!v}/metrics"
}
metric() { # metric <name> <metric-with-labels>: value of one sample
  metrics "$1" | awk -v m="$2" '$1 == m {print $2; exit}'
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f\n", b - a}'; }
