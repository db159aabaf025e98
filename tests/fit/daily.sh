#!/bin/sh
# tcsim fit and --set KEY*=F, TAP, exact values of deterministic runs.
# classes.yaml: fruit every 10 min (3 min at the gate), other every 30 min
# (20 min), unlimited servers, samples every 8 min. fit.csv's simulated
# column is compared with counts computed here from those times: trucks
# present by class at the samples, their daily means, departures per day
# (departures in (day start, day end]). The fitted parameter's bounds
# (0.999:1.001 of fruit's service) keep every count the same. Then a
# trace: service*=1.5 and rate*=2 give exactly the times of 4.5 min
# services every 5 min; a sweep of service*=1,2 gives sojourns of
# exactly 3 and 6 min. Bad input: located errors, exit 1, nothing written.
set -u
tcsim=$1; dir=$(dirname "$0"); tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
printf 'time,metric,value\n100,gate.departures_per_day,1\n1500,gate.departures_per_day,1\n20,fruit@gate.present,0\n35,other@gate.present,0\n100,fruit@gate.present.daily_mean,0\n2000,other@gate.present.daily_mean,0\n100,gate.present.daily_mean,0\n1500,fruit@gate.present.daily_mean+other@gate.present.daily_mean,0\n' > "$tmp/obs.csv"
"$tcsim" fit "$dir/classes.yaml" --observed "$tmp/obs.csv" --param 'stations.gate.service.fruit*=0.999:1.001' \
    -o "$tmp/f" --quiet
ok $? "fit runs"
python3 - "$tmp/f/fit.csv" <<'PY'
import csv, sys
def present(t, gap, serv):  # a sample sees arrivals at t and not departures at t
    return sum(1 for a in range(gap, t + 1, gap) if a <= t < a + serv)
def mean(day, gap, serv):
    ks = [8 * k for k in range(180 * day, 180 * (day + 1))]
    return sum(present(t, gap, serv) for t in ks) / len(ks)
def dep(day):
    lo, hi = 1440 * day, 1440 * (day + 1)
    return sum(1 for gap, serv in ((10, 3), (30, 20)) for a in range(gap, hi, gap) if lo < a + serv <= hi)
want = [dep(0), dep(1), present(16, 10, 3) * 0.5 + present(24, 10, 3) * 0.5,
        present(32, 30, 20) * 0.625 + present(40, 30, 20) * 0.375,
        mean(0, 10, 3), mean(1, 30, 20), mean(0, 10, 3) + mean(0, 30, 20),
        mean(1, 10, 3) + mean(1, 30, 20)]
got = [float(r['simulated']) for r in csv.DictReader(open(sys.argv[1]))]
print('# want', want)
print('# got ', got)
sys.exit(0 if len(got) == len(want) and all(abs(a - b) < 1e-12 for a, b in zip(got, want)) else 1)
PY
ok $? "per-class levels, daily means and daily departures exactly as counted"
"$tcsim" run "$dir/dpass.yaml" -o "$tmp/t" --trace --quiet --set 'stations.gate.service*=1.5' --set 'arrivals.a.rate*=2'
python3 - "$tmp/t/trucks.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
ok = len(rows) == 11 and all(float(r['arrive']) == 5 * i and float(r['exit']) == 5 * i + 4.5
                             for i, r in enumerate(rows, 1) if r['outcome'] == 'served')
print('# arrivals', [r['arrive'] for r in rows], 'exits', [r['exit'] for r in rows])
sys.exit(0 if ok else 1)
PY
ok $? "service*=1.5 and rate*=2: trucks every 5 min served 4.5 min, exactly"
"$tcsim" sweep "$dir/dpass.yaml" --vary 'stations.gate.service*=1,2' -o "$tmp/sw" --no-plot > /dev/null 2>&1 &&
grep -qx 'station,gate,,sojourn,3,,3,3,1,min,stations.gate.sojourn' "$tmp/sw/stations.gate.service_=1/summary.csv" &&
grep -qx 'station,gate,,sojourn,6,,6,6,1,min,stations.gate.sojourn' "$tmp/sw/stations.gate.service_=2/summary.csv"
ok $? "sweep --vary service*=1,2: sojourn exactly 3 and 6 min"
bad() { # name, expected stderr fragment, args...
    name=$1; want=$2; shift 2
    "$tcsim" fit "$dir/classes.yaml" -o "$tmp/bad" --param 'stations.gate.service.fruit*=0.5:2' "$@" 2> "$tmp/err"; rc=$?
    [ $rc = 1 ] && grep -qF -- "$want" "$tmp/err" && [ ! -e "$tmp/bad" ]
    ok $? "$name: exit 1, '$want', nothing written"
}
printf 'time,metric,value\n1,veg@gate.present,3\n2,fruit@gate.waiting,1\n3000,gate.departures_per_day,1\n' > "$tmp/b1.csv"
printf 'time,metric,value\n1,gate.present+gate.departures_per_day,3\n' > "$tmp/b2.csv"
bad "no such class" 'b1.csv:2:3: error: metric: no class named "veg"' --observed "$tmp/b1.csv"
bad "class series" 'b1.csv:3:3: error: metric: unknown series "waiting" of a class' --observed "$tmp/b1.csv"
bad "day past the horizon" 'b1.csv:4:1: error: time "3000": its day (day 3 from t = 0) ends after the horizon' --observed "$tmp/b1.csv" --set horizon=4000
bad "mixed sum" 'b2.csv:2:3: error: metric: a sum adds terms of one kind' --observed "$tmp/b2.csv"
bad "not a day of samples" 'error: metric: a daily count needs a day to be a whole number of samples' \
    --observed "$tmp/obs.csv" --set sample_every=7
bad "scale of a level" "--param:2: error: stations.gate.servers*: the scenario does not load with 1: KEY*=F scales" --observed "$tmp/obs.csv" --param 'stations.gate.servers*=1:2'
echo "1..$n"
exit $fail
