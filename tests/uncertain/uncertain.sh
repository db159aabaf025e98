#!/bin/sh
# Input uncertainty, TAP. pass.yaml: unlimited servers, a constant service
# {uncertain: uniform 1..2 min}: a replication's mean sojourn is exactly
# its drawn service time, so across 400 replications their mean is within
# its 99.9% interval of 1.5 and their sd within 4 standard errors of the
# uniform's 1/sqrt(12) (se of an sd: sigma sqrt((kurtosis - 1) / 4n), 1.8
# for a uniform). The draws are common random numbers: a variant with
# other arrivals draws the same values. A constant {uncertain} gives the
# same summary.json bytes as the plain value; -j 1 and -j 2 the same bytes.
# input_share.csv: the pass-through's sojourn is all input (R² = 1); in
# mm1.yaml (rate uniform 0.4..0.6 /h, 180 h counted) the arrivals count
# given the rate is Poisson(180 rate), so the share the rate explains is
# Var(180 rate) / (Var(180 rate) + E(180 rate)) = 108 / 198 = 0.545: the
# regression's R² over 200 replications within 0.1 of it (about 3 se).
# Bad input: a located error, exit 1, nothing written.
set -u
tcsim=$1; dir=$(dirname "$0"); tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
soj() { python3 -c "
import csv
for r in csv.DictReader(open('$1/replications.csv')):
    if r['scope'] == 'station' and r['class'] == '' and r['metric'] == 'sojourn': print(r['rep'], r['value'])"; }
"$tcsim" run "$dir/pass.yaml" -o "$tmp/a" --quiet -j 2
ok $? "runs"
soj "$tmp/a" > "$tmp/a.txt"
python3 - "$tmp/a.txt" <<'PY'
import math, statistics as st, sys
v = [float(l.split()[1]) for l in open(sys.argv[1])]
m, s, n = st.mean(v), st.stdev(v), len(v)
sd = 1 / math.sqrt(12)
se_m, se_s = sd / math.sqrt(n), sd * math.sqrt(0.8 / (4 * n))
print('# %d replications: mean %.4f (want 1.5 +- %.4f), sd %.4f (want %.4f +- %.4f)' % (n, m, 3.29 * se_m, s, sd, 4 * se_s))
ok = n == 400 and all(1 <= x <= 2 for x in v) and abs(m - 1.5) <= 3.29 * se_m and abs(s - sd) <= 4 * se_s
sys.exit(0 if ok else 1)
PY
ok $? "spread of the per-replication mean sojourn is the uniform's sd"
"$tcsim" run "$dir/pass.yaml" -o "$tmp/b" --quiet -j 1 --set 'arrivals.a.interarrival=7 min'
soj "$tmp/b" > "$tmp/b.txt"
python3 -c "
import sys
a=[l.split()[1] for l in open('$tmp/a.txt')]; b=[l.split()[1] for l in open('$tmp/b.txt')]
sys.exit(0 if a == b and len(set(a)) > 300 else 1)"
ok $? "a variant with other arrivals draws the same values (common random numbers)"
"$tcsim" run "$dir/pass.yaml" -o "$tmp/c" --quiet -j 1
cmp -s "$tmp/a/summary.json" "$tmp/c/summary.json" && cmp -s "$tmp/a/replications.csv" "$tmp/c/replications.csv"
ok $? "same bytes for -j 1 and -j 2"
"$tcsim" run "$dir/pass.yaml" -o "$tmp/d" --quiet -r 20 --set 'stations.gate.service={uncertain: {dist: constant, value: 1.5 min}}'
"$tcsim" run "$dir/pass.yaml" -o "$tmp/e" --quiet -r 20 --set 'stations.gate.service=1.5 min'
cmp -s "$tmp/d/summary.json" "$tmp/e/summary.json"
ok $? "a constant {uncertain} gives the bytes of the plain value"
python3 -c "
import csv, sys
r = [x for x in csv.DictReader(open('$tmp/a/input_share.csv')) if x['name'] == 'gate' and x['class'] == '' and x['metric'] == 'sojourn']
print('# sojourn input_share', r[0]['input_share'])
sys.exit(0 if abs(float(r[0]['input_share']) - 1) < 1e-9 else 1)"
ok $? "all of a pass-through's spread is input uncertainty"
"$tcsim" run "$dir/mm1.yaml" -o "$tmp/m" --quiet -j 2
python3 -c "
import csv, sys
r = [x for x in csv.DictReader(open('$tmp/m/input_share.csv')) if x['name'] == 'q' and x['class'] == '' and x['metric'] == 'arrivals']
v = float(r[0]['input_share'])
print('# arrivals input_share %.4f, exact %.4f' % (v, 108 / 198))
sys.exit(0 if abs(v - 108 / 198) < 0.1 else 1)"
ok $? "the share of an uncertain rate in the arrivals count is Var/(Var + Poisson noise)"
[ ! -e "$tmp/e/input_share.csv" ] && [ ! -e "$tmp/e/inputs.csv" ] && [ -e "$tmp/a/inputs.csv" ]
ok $? "input files only under uncertainty"
"$tcsim" run "$dir/pass.yaml" -o "$tmp/bad" --quiet --set 'stations.gate.service={uncertain: {dist: uniform, min: 2, max: 1}}' 2> "$tmp/err"
rc=$?
[ $rc = 1 ] && grep -qF -- "--set:1: error: stations.gate.service.uncertain: min must be <= max" "$tmp/err" && [ ! -e "$tmp/bad" ]
ok $? "bad distribution: exit 1, located, nothing written ($(head -1 "$tmp/err"))"
echo "1..$n"
exit $fail
