#!/usr/bin/env bash
# Coverage-guided fuzzing of EdgeGovernor's parsers with SharpFuzz and AFL++ (see README.md).
#
#   tools/EdgeGovernor.Fuzz/fuzz.sh [--seconds N] [--targets a,b,...] [--jobs J] [--out DIR]
#
# For each target: replays its seed corpus and kept regressions (plain build), then runs afl-fuzz for N seconds
# (default 15) on the SharpFuzz-instrumented build, then prints one line of figures (execs, execs/s, edges,
# corpus size, crashes, hangs). J targets run at once (default 1). Exits 1 if any input threw or hung; the
# findings are copied to DIR/findings/TARGET/ (keep each as a regression: tools/EdgeGovernor.Fuzz/regressions/TARGET/).
# Needs afl++ (Debian) and installs the SharpFuzz.CommandLine tool into DIR/tools. Last line: `fuzz: N passed, M failed`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=15 targets="" jobs=1 out=${TMPDIR:-/tmp}/edgegov-fuzz
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$seconds$jobs" in *[!0-9]*) echo "fuzz.sh: --seconds and --jobs take whole numbers" >&2; exit 2 ;; esac
[ -n "$seconds" ] && [ "$jobs" -ge 1 ] || { echo "fuzz.sh: --seconds N, --jobs at least 1" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "fuzz.sh: afl-fuzz not found (apt-get install afl++)" >&2; exit 2; }

mkdir -p "$out"
sharpfuzz="$out/tools/sharpfuzz"
if [ ! -x "$sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$out/tools" >/dev/null
fi

echo "== build (plain for replay, instrumented for afl-fuzz)"
rm -rf "$out/plain" "$out/afl"
dotnet publish "$here/EdgeGovernor.Fuzz.csproj" -c Release -o "$out/plain" -warnaserror >/dev/null
cp -r "$out/plain" "$out/afl"
for dll in EdgeGovernor.Protocol.dll EdgeGovernor.Hal.dll EdgeGovernor.Policy.dll edgegov.dll; do
  "$sharpfuzz" "$out/afl/$dll" >/dev/null
done
[ -n "$targets" ] || targets=$(dotnet "$out/plain/EdgeGovernor.Fuzz.dll" --list | awk '{print $1}' | paste -sd, -)

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 \
       AFL_NO_AFFINITY=1 AFL_NO_WARN_INSTABILITY=1 AFL_QUIET=1
# One target: replay, afl-fuzz, figures. Prints its lines; its result (pass/fail) goes to runs/TARGET.result.
fuzz_target() {
  local t=$1 corpus="$here/corpus/$1" result="$out/runs/$1.result"
  if ! [ -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
    echo "$t: no seed corpus in $corpus"; echo fail >"$result"; return
  fi
  local replay=("$corpus")
  [ -d "$here/regressions/$t" ] && replay+=("$here/regressions/$t")
  if ! dotnet "$out/plain/EdgeGovernor.Fuzz.dll" "$t" --replay "${replay[@]}" >/dev/null; then
    echo "$t: a corpus or regression input throws (run: dotnet $out/plain/EdgeGovernor.Fuzz.dll $t --replay ${replay[*]})"
    echo fail >"$result"; return
  fi
  rm -rf "$out/runs/$t"
  if ! timeout $((seconds + 120)) afl-fuzz -i "$corpus" -o "$out/runs/$t" -V "$seconds" -t 5000 -m none \
       -- dotnet "$out/afl/EdgeGovernor.Fuzz.dll" "$t" >"$out/runs/$t.log" 2>&1; then
    echo "$t: afl-fuzz failed (log: $out/runs/$t.log)"; tail -5 "$out/runs/$t.log" | sed 's/\x1b\[[0-9;]*m//g'
    echo fail >"$result"; return
  fi
  local stats="$out/runs/$t/default/fuzzer_stats"
  get() { sed -n "s/^$1 *: *//p" "$stats"; }
  local crashes hangs
  crashes=$(get saved_crashes) hangs=$(get saved_hangs)
  printf '%-12s %10s %9s %7s %7s %8s %6s %s\n' "$t" "$(get execs_done)" "$(get execs_per_sec)" "$(get edges_found)" \
    "$(get corpus_count)" "$crashes" "$hangs" "$(get run_time)"
  if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
    mkdir -p "$out/findings/$t"
    cp "$out/runs/$t/default/crashes/"id* "$out/runs/$t/default/hangs/"id* "$out/findings/$t/" 2>/dev/null || true
    echo "$t: findings copied to $out/findings/$t"
    echo fail >"$result"
  else
    echo pass >"$result"
  fi
}

mkdir -p "$out/runs"
printf '%-12s %10s %9s %7s %7s %8s %6s %s\n' target execs execs/s edges corpus crashes hangs seconds
running=0
for t in ${targets//,/ }; do
  rm -f "$out/runs/$t.result"
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_target "$t" &
  running=$((running + 1))
done
wait
pass=0 fail=0
for t in ${targets//,/ }; do
  if [ "$(cat "$out/runs/$t.result" 2>/dev/null)" = pass ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
