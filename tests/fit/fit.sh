#!/bin/sh
# tcsim fit, TAP. Recovery: an M/M/inf yard (lambda 30/h, mean service 1 h,
# empty start) has mean present lambda*m*(1 - exp(-t/m)); observations from
# that formula, lambda fitted back with seeds 1..10: the fitted value lies
# within 2 reported standard errors in at least 9 of 10. Determinism:
# fit.json the same bytes for -j 1 and -j 2. Bad input: located errors,
# exit 1, nothing written.
set -u
tcsim=$1; dir=$(dirname "$0"); tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
python3 -c "
import math
print('time,metric,value')
for t in [0.5,1,1.5,2,3,4,5,8,11,14,17,20,23,26,29,32,35,38]:
    print('%g,yard.present,%.10g' % (t, 30 * (1 - math.exp(-t))))" > "$tmp/obs.csv"
cover=0
for s in 1 2 3 4 5 6 7 8 9 10; do
    "$tcsim" fit "$dir/mminf.yaml" --observed "$tmp/obs.csv" --param arrivals.0.rate=10/h:60/h \
        -s $s -o "$tmp/f$s" --quiet || fail=1
    python3 -c "
import json,sys
p=json.load(open('$tmp/f$s/fit.json'))['parameters']['arrivals.0.rate']
print('# seed $s: %.4f se %.4f error %+.4f' % (p['value'], p['se'], p['value'] - 30))
sys.exit(0 if abs(p['value'] - 30) <= 2 * p['se'] else 1)" && cover=$((cover + 1))
done
echo "# coverage of 2 se: $cover of 10"
[ $cover -ge 9 ]; ok $? "lambda recovered within 2 se in at least 9 of 10 seeds ($cover)"
"$tcsim" fit "$dir/mminf.yaml" --observed "$tmp/obs.csv" --param arrivals.0.rate=10/h:60/h -j 1 -o "$tmp/j1" --quiet &&
"$tcsim" fit "$dir/mminf.yaml" --observed "$tmp/obs.csv" --param arrivals.0.rate=10/h:60/h -j 2 -o "$tmp/j2" --quiet &&
cmp -s "$tmp/j1/fit.json" "$tmp/j2/fit.json" && cmp -s "$tmp/j1/fit.csv" "$tmp/j2/fit.csv"
ok $? "same bytes for -j 1 and -j 2"
bad() { # name, expected stderr fragment, args...
    name=$1; want=$2; shift 2
    "$tcsim" fit "$dir/mminf.yaml" -o "$tmp/bad" "$@" 2> "$tmp/err"; rc=$?
    [ $rc = 1 ] && grep -qF -- "$want" "$tmp/err" && [ ! -e "$tmp/bad" ]
    ok $? "$name: exit 1, '$want', nothing written"
}
printf 'time,metric,value\n1,gate.present,3\n' > "$tmp/nost.csv"
printf 'time,metric,value\n1,yard.present,3\n41 h,yard.present,3\n' > "$tmp/late.csv"
printf 'time,metric,value\n1,yard.present,x\n' > "$tmp/num.csv"
printf 'time,metric,value,weight\n1,yard.present,3,-1\n' > "$tmp/w.csv"
: > "$tmp/empty.csv"
printf 'time,metric,value\n' > "$tmp/header.csv"
P="--param arrivals.0.rate=10/h:60/h"
bad "no station" "nost.csv:2:3: error: metric: no station named \"gate\"" --observed "$tmp/nost.csv" $P
bad "after the horizon" "late.csv:3:1: error: time \"41 h\": outside the run" --observed "$tmp/late.csv" $P
bad "bad number" "num.csv:2:16: error: value \"x\"" --observed "$tmp/num.csv" $P
bad "negative weight" "w.csv:2:18: error: weight \"-1\"" --observed "$tmp/w.csv" $P
bad "empty file" "empty.csv:1:1: error: no observations" --observed "$tmp/empty.csv" $P
bad "header only" "header.csv:1:1: error: no observations" --observed "$tmp/header.csv" $P
bad "non-numeric key" "--param:1: error: name: not a numeric key" --observed "$tmp/obs.csv" --param name=1:2
bad "LO >= HI" "--param:1: error: arrivals.0.rate: LO must be less than HI" --observed "$tmp/obs.csv" --param arrivals.0.rate=60/h:10/h
bad "holdout outside the data" "holds no observation" --observed "$tmp/obs.csv" $P --holdout 39:40
echo "1..$n"
exit $fail
