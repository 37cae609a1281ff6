#!/usr/bin/env bash
# Coverage-guided fuzzing of EdgeGovernor's parsers with SharpFuzz and AFL++ (see README.md).
#
#   tools/EdgeGovernor.Fuzz/fuzz.sh [--seconds N] [--targets a,b,...] [--out DIR]
#
# For each target: replays its seed corpus and kept regressions (plain build), then runs afl-fuzz for N seconds
# (default 15) on the SharpFuzz-instrumented build, then prints one line of figures (execs, execs/s, edges,
# crashes, hangs). Exits 1 if any input threw or hung; the findings are copied to DIR/findings/TARGET/ (keep
# each as a regression: tools/EdgeGovernor.Fuzz/regressions/TARGET/). Needs afl++ (Debian) and installs the
# SharpFuzz.CommandLine tool into DIR/tools. Last line: `fuzz: N passed, M failed`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=15 targets="" out=${TMPDIR:-/tmp}/edgegov-fuzz
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: --seconds takes a whole number" >&2; exit 2 ;; esac
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
pass=0 fail=0
printf '%-12s %10s %9s %7s %8s %6s %s\n' target execs execs/s edges crashes hangs seconds
for t in ${targets//,/ }; do
  corpus="$here/corpus/$t"
  [ -d "$corpus" ] && [ -n "$(ls -A "$corpus")" ] || { echo "$t: no seed corpus in $corpus"; fail=$((fail + 1)); continue; }
  replay=("$corpus")
  [ -d "$here/regressions/$t" ] && replay+=("$here/regressions/$t")
  if ! dotnet "$out/plain/EdgeGovernor.Fuzz.dll" "$t" --replay "${replay[@]}" >/dev/null; then
    echo "$t: a corpus or regression input throws (run: dotnet $out/plain/EdgeGovernor.Fuzz.dll $t --replay ${replay[*]})"
    fail=$((fail + 1)); continue
  fi
  rm -rf "$out/runs/$t"
  mkdir -p "$out/runs"
  if ! timeout $((seconds + 120)) afl-fuzz -i "$corpus" -o "$out/runs/$t" -V "$seconds" -t 5000 -m none \
       -- dotnet "$out/afl/EdgeGovernor.Fuzz.dll" "$t" >"$out/runs/$t.log" 2>&1; then
    echo "$t: afl-fuzz failed (log: $out/runs/$t.log)"; tail -5 "$out/runs/$t.log" | sed 's/\x1b\[[0-9;]*m//g'
    fail=$((fail + 1)); continue
  fi
  stats="$out/runs/$t/default/fuzzer_stats"
  get() { sed -n "s/^$1 *: *//p" "$stats"; }
  crashes=$(get saved_crashes) hangs=$(get saved_hangs)
  printf '%-12s %10s %9s %7s %8s %6s %s\n' "$t" "$(get execs_done)" "$(get execs_per_sec)" "$(get edges_found)" \
    "$crashes" "$hangs" "$(get run_time)"
  if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
    mkdir -p "$out/findings/$t"
    cp "$out/runs/$t/default/crashes/"id* "$out/runs/$t/default/hangs/"id* "$out/findings/$t/" 2>/dev/null || true
    echo "$t: findings copied to $out/findings/$t"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
