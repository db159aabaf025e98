#!/bin/sh
# SIGINT / SIGTERM during `tcsim run`: the run stops within a second, exits
# 130, says what was lost, and leaves the output directory as it was (earlier
# outputs intact, no temporary files). And the runaway guard: an overloaded
# network stops at --max-trucks with an explanation and writes nothing.
# Usage: signal.sh TCSIM
set -u
tcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
check() { # check DESCRIPTION CONDITION...
    n=$((n + 1))
    desc=$1
    shift
    if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fail=1; fi
}

cat >"$tmp/long.yaml" <<'YAML'
name: long
horizon: 100000 d
replications: 4
arrivals: [{to: q, rate: 9/min}]
stations:
  q: {servers: 10, service: {dist: exponential, mean: 1 min}}
YAML
for sig in INT TERM; do
    out="$tmp/out.$sig"
    mkdir -p "$out"
    echo '{"earlier": true}' >"$out/summary.json"
    "$tcsim" run -q -j 2 --trace "$tmp/long.yaml" -o "$out" 2>"$tmp/err.$sig" &
    pid=$!
    sleep 1
    start=$(date +%s%N)
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    check "SIG$sig: exit code 130 (got $rc)" [ "$rc" -eq 130 ]
    check "SIG$sig: stopped within a second (${ms} ms)" [ "$ms" -lt 1000 ]
    check "SIG$sig: says what was lost" grep -q "interrupted: 0 of 4 replications had finished; nothing was written" "$tmp/err.$sig"
    check "SIG$sig: earlier summary.json intact" grep -q '"earlier": true' "$out/summary.json"
    check "SIG$sig: no other file left behind" [ "$(ls -A "$out")" = "summary.json" ]
done

cat >"$tmp/over.yaml" <<'YAML'
name: overload
horizon: 1000 d
arrivals: [{to: q, rate: 100/h}]
stations:
  q: {servers: 1, service: 1 h}
YAML
"$tcsim" run -q "$tmp/over.yaml" -o "$tmp/over" --max-trucks 100000 2>"$tmp/err.over"
rc=$?
check "runaway guard: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "runaway guard: explains and says how to go further" grep -q "more than 100000 trucks in the system at once.*--max-trucks N" "$tmp/err.over"
check "runaway guard: nothing written" [ ! -e "$tmp/over" ]
"$tcsim" run -q "$tmp/over.yaml" -o "$tmp/over2" --set horizon=30d 2>/dev/null
check "a realistic overload (70,000 trucks waiting) runs to its end" [ -s "$tmp/over2/summary.json" ]
echo "1..$n"
exit $fail
