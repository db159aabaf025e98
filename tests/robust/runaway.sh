#!/bin/sh
# Runaway work (suite robust), as TAP: a replication stuck at one instant
# stops with the station named, exit 1 and nothing written, in seconds;
# --max-trucks bounds the trucks of all the replications running together.
# usage: runaway.sh TCSIM CASES_DIR
tcsim=$1
dir=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcsim-runaway.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
ok() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
now_ms() { date +%s%3N; }

t0=$(now_ms)
"$tcsim" run -q "$dir/loop.yaml" -o "$tmp/loop" 2>"$tmp/loop.err"
rc=$?
ms=$(($(now_ms) - t0))
echo "1..9"
ok $([ $rc = 1 ]; echo $?) "loop: exit 1 (got $rc)"
ok $(grep -q 'more than 10000000 events at one instant at station "yard", so simulated time stopped advancing' "$tmp/loop.err"; echo $?) "loop: names the station that loops"
ok $(grep -q 'Nothing was written.$' "$tmp/loop.err"; echo $?) "loop: says nothing was written"
ok $([ ! -e "$tmp/loop" ]; echo $?) "loop: nothing written"
# 10^7 events take about a second; a hang would be the horizon's 10^10 visits
ok $([ $ms -lt 20000 ]; echo $?) "loop: stops within 20 s (took $ms ms)"
sed 's/^/# /' "$tmp/loop.err"

"$tcsim" run -q -j 1 --max-trucks 3000 "$dir/crowd.yaml" -o "$tmp/j1" 2>"$tmp/j1.err"
rc=$?
ok $([ $rc = 0 ] && [ -s "$tmp/j1/summary.json" ]; echo $?) "crowd, -j 1, --max-trucks 3000: one replication at a time fits (got $rc)"
"$tcsim" run -q -j 2 --max-trucks 3000 "$dir/crowd.yaml" -o "$tmp/j2" 2>"$tmp/j2.err"
rc=$?
ok $([ $rc = 1 ]; echo $?) "crowd, -j 2, --max-trucks 3000: two at once do not (exit 1, got $rc)"
ok $(grep -q 'more than 3000 trucks in the system at once (all replications running together): the limit given by --max-trucks was reached' "$tmp/j2.err"; echo $?) "crowd, -j 2: says the run's limit was reached"
ok $([ ! -e "$tmp/j2" ]; echo $?) "crowd, -j 2: nothing written"
sed 's/^/# /' "$tmp/j2.err"
exit $failed
