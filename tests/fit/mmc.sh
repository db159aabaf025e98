#!/bin/sh
# tcsim fit, TAP: recovery of a service mean. An M/M/2 lane (lambda 2/h,
# mean service m = 0.5 h, rho 0.5) has the exact mean present L = 4/3
# (Erlang C, computed here); the daily means of days 2..19 are observed as
# L and m fitted back as a scale of the service (stations.lanes.service*,
# true value 1) with seeds 1..10. Asserted: within 2 reported se in at
# least 8 of 10 (measured 10 of 10; 18 of 20 over seeds 1..20), the mean
# absolute error under 0.03.
set -u
tcsim=$1; dir=$(dirname "$0"); tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
python3 -c "
import math
lam, m, c = 2.0, 0.5, 2
a = lam * m; rho = a / c
s = sum(a**k / math.factorial(k) for k in range(c)); t = a**c / math.factorial(c) / (1 - rho)
L = t / (s + t) * rho / (1 - rho) + a
print('time,metric,value')
for d in range(2, 20):
    print('%d,lanes.present.daily_mean,%.12g' % (24 * d + 12, L))" > "$tmp/obs.csv"
cover=0
for s in 1 2 3 4 5 6 7 8 9 10; do
    "$tcsim" fit "$dir/mmc.yaml" --observed "$tmp/obs.csv" --param 'stations.lanes.service*=0.5:2' \
        -s $s -o "$tmp/f$s" --quiet || fail=1
    python3 -c "
import json,sys
p=json.load(open('$tmp/f$s/fit.json'))['parameters']['stations.lanes.service*']
print('# seed $s: m = %.4f h se %.4f error %+.4f' % (0.5 * p['value'], 0.5 * p['se'], 0.5 * (p['value'] - 1)))
open('$tmp/err', 'a').write('%r\n' % abs(p['value'] - 1))
sys.exit(0 if abs(p['value'] - 1) <= 2 * p['se'] else 1)" && cover=$((cover + 1))
done
echo "# coverage of 2 se: $cover of 10"
[ $cover -ge 8 ]; ok $? "m recovered within 2 se in at least 8 of 10 seeds ($cover)"
python3 -c "
import sys
e=[float(x) for x in open('$tmp/err')]
print('# mean absolute error of the scale: %.4f' % (sum(e) / len(e)))
sys.exit(0 if sum(e) / len(e) < 0.03 else 1)"
ok $? "mean absolute error of the scale under 0.03"
echo "1..$n"
exit $fail
