#!/bin/sh
# The trace limits hold for all the traces of a scenario together: two
# streams replaying one trace of 6,000,000 rows make 12 million, over
# TC_LIMIT_TRACE_ROWS (10 million). The first trace is read whole (it fits),
# the second is refused by a byte scan at the row that passes the limit.
# Prints TAP. Usage: trace_budget.sh TCSIM
set -u
tcsim=$1
case $tcsim in
/*) ;;
*) tcsim=$(pwd)/$tcsim ;;
esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcsim-budget.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
awk 'BEGIN { print "time"; for (i = 0; i < 6000000; i++) print "1" }' >six-million.csv
cat >s.yaml <<'YAML'
name: budget
horizon: 1 d
arrivals:
  - {to: gate, trace: six-million.csv}
  - {to: gate, trace: six-million.csv}
stations:
  gate: {servers: unlimited, service: 5 min}
YAML
t0=$(date +%s%3N)
"$tcsim" validate s.yaml 2>err
rc=$?
ms=$(($(date +%s%3N) - t0))
n=0
fail=0
check() {
    n=$((n + 1))
    desc=$1
    shift
    if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fail=1; fi
}
check "exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "one message, at row 4,000,001 of the second reading" sh -c \
    'printf "%s\n" "six-million.csv:4000002:1: error: more than 10000000 trace rows (TC_LIMIT_TRACE_ROWS in tcsim/limits.h, which counts the rows of all traces of a scenario)" | cmp -s - err'
# 6 million rows are parsed (about 2 s); a hang or a second full parse would show.
check "done in $ms ms (under 10000)" [ "$ms" -lt 10000 ]
echo "1..$n"
exit $fail
