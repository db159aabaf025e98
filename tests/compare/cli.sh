#!/bin/sh
# tcsim compare from the outside: its exit codes for the three outcomes
# (0 agree, 1 moved, 2 unreadable or not comparable), corrupt, truncated,
# empty and missing files, files that cannot be compared, the options, and
# its power: a 10 % longer service-time mean in a shipped scenario, run with
# another seed, is flagged and the metrics that moved are named.
# Usage: cli.sh TCSIM SCENARIO_DIR
set -u
tcsim=$1
scen=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0

ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}
not_ok() {
    n=$((n + 1))
    echo "not ok $n - $1"
    fail=1
}
# expect_rc WANT DESCRIPTION CMD...: runs CMD (stdout to $tmp/out, stderr to $tmp/err).
expect_rc() {
    want=$1
    what=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq "$want" ]; then
        ok "$what: exit $rc"
    else
        not_ok "$what: exit $rc, want $want"
        sed 's/^/# /' "$tmp/out" "$tmp/err"
    fi
}
# expect_in FILE TEXT DESCRIPTION: FILE holds the exact line fragment TEXT.
expect_in() {
    if grep -qF -- "$2" "$1"; then
        ok "$3"
    else
        not_ok "$3: no \"$2\" in"
        sed 's/^/# /' "$1"
    fi
}
expect_not_in() {
    if grep -qF -- "$2" "$1"; then
        not_ok "$3: \"$2\" found"
    else
        ok "$3"
    fi
}
run() {
    if ! "$tcsim" run -q "$@"; then
        not_ok "tcsim run $*"
        echo "1..$n"
        exit 1
    fi
}

yl=$scen/yard-lanes.yaml
pl=$scen/priority-lane.yaml
run -o "$tmp/yl1" "$yl"
run -s 2 -o "$tmp/yl2" "$yl"
run -s 2 --set 'stations.lanes.service.mean=8.8 min' -o "$tmp/yl_slow" "$yl"
run -o "$tmp/pl1" "$pl"
run -s 2 -o "$tmp/pl2" "$pl"
run -s 2 --set 'stations.customs.service.fruit.mean=11 min' -o "$tmp/pl_slow" "$pl"
run --set time_unit=h -o "$tmp/yl_hours" "$yl"
b=$tmp/yl1/summary.json

# ---- agree: exit 0
expect_rc 0 "a file against itself" "$tcsim" compare "$b" "$b"
expect_in "$tmp/out" "agree: no metric moved" "a file against itself: agree"
expect_in "$tmp/out" "77 metrics: 43 tested (paired t, Holm-adjusted, family-wise 5 %), 25 exact, 9 null" \
    "a file against itself: the metric counts"
expect_in "$tmp/out" "test: paired t (common random numbers: same seed 1 and 10 replications)" \
    "a file against itself: paired, and says why"
expect_rc 0 "yard-lanes, seed 1 against seed 2" "$tcsim" compare "$b" "$tmp/yl2/summary.json"
expect_rc 0 "priority-lane, seed 7 against seed 2" \
    "$tcsim" compare "$tmp/pl1/summary.json" "$tmp/pl2/summary.json"
expect_rc 0 "--json, agree" "$tcsim" compare --json "$b" "$tmp/yl2/summary.json"
expect_in "$tmp/out" '"verdict": "agree",' "--json says agree"
expect_in "$tmp/out" '"n_moved": 0,' "--json: nothing moved"
expect_in "$tmp/out" '"n_metrics": 77,' "--json: 77 metrics"

# ---- power: 10 % longer lane service (load 0.89 -> 0.98), another seed: exit 1
expect_rc 1 "yard-lanes, lane service mean 8 -> 8.8 min" \
    "$tcsim" compare --json "$b" "$tmp/yl_slow/summary.json"
cp "$tmp/out" "$tmp/yl_power.json"
expect_in "$tmp/yl_power.json" '"verdict": "moved",' "power yard-lanes: verdict moved"
for m in stations.lanes.wait stations.lanes.sojourn stations.lanes.waiting \
    stations.lanes.in_station stations.lanes.utilization stations.lanes.by_class.truck.wait \
    classes.truck.time_in_system classes.truck.time_in_system_p90 stations.yard.blocked; do
    expect_in "$tmp/yl_power.json" "\"metric\": \"$m\"," "power yard-lanes: $m moved"
done
# What the change cannot touch must not be listed: the arrival stream and the yard's
# wait (0 exactly on both sides).
for m in stations.yard.arrivals classes.truck.arrived stations.yard.wait \
    stations.lanes.rejected_fraction; do
    expect_not_in "$tmp/yl_power.json" "\"metric\": \"$m\"," "power yard-lanes: $m not listed"
done
expect_rc 1 "the same as a table" "$tcsim" compare "$b" "$tmp/yl_slow/summary.json"
expect_in "$tmp/out" "moved: " "the table says moved"
expect_in "$tmp/out" "metric  " "the table has a header"
# The first row is the most significant: the lanes, by many standard errors.
first=$(sed -n '/^metric /{n;p;q;}' "$tmp/out" | cut -d' ' -f1)
case $first in
stations.lanes.*) ok "the most significant row is a lane metric ($first)" ;;
*) not_ok "the most significant row is $first" ;;
esac

# 10 % longer service for fruit only (30 % of the traffic) at a priority desk.
expect_rc 1 "priority-lane, fruit service mean 10 -> 11 min" \
    "$tcsim" compare --json "$tmp/pl1/summary.json" "$tmp/pl_slow/summary.json"
cp "$tmp/out" "$tmp/pl_power.json"
for m in classes.fruit.time_in_system classes.fruit.time_in_system_p50 \
    stations.customs.by_class.fruit.sojourn stations.customs.by_class.fruit.wait \
    stations.customs.utilization; do
    expect_in "$tmp/pl_power.json" "\"metric\": \"$m\"," "power priority-lane: $m moved"
done
for m in classes.fruit.arrived classes.general.arrived stations.customs.arrivals \
    classes.fruit.throughput_per_day; do
    expect_not_in "$tmp/pl_power.json" "\"metric\": \"$m\"," "power priority-lane: $m not listed"
done

# ---- options
expect_rc 0 "--metrics on what did not move" "$tcsim" compare \
    --metrics 'stations.yard.arrivals,classes.*.arrived' "$b" "$tmp/yl_slow/summary.json"
expect_in "$tmp/out" "2 metrics: 2 tested" "--metrics selects 2 metrics"
expect_rc 1 "--metrics, repeated" "$tcsim" compare --metrics 'classes.*.arrived' \
    --metrics 'stations.lanes.wait' "$b" "$tmp/yl_slow/summary.json"
expect_in "$tmp/out" "moved: 1 of 2 metrics" "--metrics, repeated: 1 of 2 moved"
expect_rc 0 "--rel-tol 1000% absorbs the change" \
    "$tcsim" compare --rel-tol 1000% "$b" "$tmp/yl_slow/summary.json"
expect_rc 1 "--rel-tol 0.5 does not" \
    "$tcsim" compare --rel-tol 0.5 "$b" "$tmp/yl_slow/summary.json"
expect_rc 2 "--metrics matching nothing" "$tcsim" compare --metrics 'stations.*.wiat' "$b" "$b"
expect_in "$tmp/err" 'error: --metrics: "stations.*.wiat" matches no metric' \
    "--metrics matching nothing: the message"
expect_rc 2 "--rel-tol -1" "$tcsim" compare --rel-tol -1 "$b" "$b"
expect_in "$tmp/err" 'tcsim: --rel-tol: expected a number >= 0 (0.05) or a percentage (5%), got "-1"' \
    "--rel-tol -1: the message"
expect_rc 2 "--abs-tol x" "$tcsim" compare --abs-tol x "$b" "$b"
expect_rc 2 "one file" "$tcsim" compare "$b"
expect_rc 2 "three files" "$tcsim" compare "$b" "$b" "$b"

# ---- unreadable inputs: exit 2
size=$(wc -c <"$b")
head -c $((size / 2)) "$b" >"$tmp/truncated.json"
expect_rc 2 "a truncated candidate" "$tcsim" compare "$b" "$tmp/truncated.json"
expect_in "$tmp/err" "$tmp/truncated.json:" "truncated: the file is named"
expect_in "$tmp/err" "(truncated or empty file?)" "truncated: says so"
expect_rc 2 "a truncated baseline" "$tcsim" compare "$tmp/truncated.json" "$b"
: >"$tmp/empty.json"
expect_rc 2 "an empty file" "$tcsim" compare "$b" "$tmp/empty.json"
sed 's/"replications": 10,/"replications": 10 "x",/' "$b" >"$tmp/corrupt.json"
expect_rc 2 "a corrupt file (bad syntax)" "$tcsim" compare "$b" "$tmp/corrupt.json"
expect_in "$tmp/err" "$tmp/corrupt.json:7:24: error: invalid JSON: '}' expected near '\"x\"'" \
    "corrupt: line, column and reason"
sed 's/"ci95": 0.21620099761691419/"ci95": "0.2"/' "$b" >"$tmp/badtype.json"
expect_rc 2 "a corrupt file (a string for a number)" "$tcsim" compare "$tmp/badtype.json" "$b"
expect_in "$tmp/err" "$tmp/badtype.json: error: stations.lanes.wait: ci95: expected a number or null, got a string" \
    "bad type: the key path"
printf '\000\001garbage' >"$tmp/binary.json"
expect_rc 2 "a binary file" "$tcsim" compare "$tmp/binary.json" "$b"
expect_rc 2 "a missing file" "$tcsim" compare "$b" "$tmp/nonexistent.json"
expect_in "$tmp/err" "$tmp/nonexistent.json: error: cannot read: No such file or directory" \
    "missing: the message"
expect_rc 2 "both files broken" "$tcsim" compare "$tmp/empty.json" "$tmp/nonexistent.json"
if [ "$(wc -l <"$tmp/err")" -eq 2 ]; then ok "both broken: both reported"; else not_ok "both broken: $(wc -l <"$tmp/err") lines"; fi
expect_rc 2 "--json, an unreadable file" "$tcsim" compare --json "$b" "$tmp/truncated.json"
expect_in "$tmp/out" '"verdict": "error",' "--json says error"

# ---- not comparable: exit 2
expect_rc 2 "different stations" "$tcsim" compare "$b" "$tmp/pl1/summary.json"
expect_in "$tmp/err" "error: stations: not comparable: different stations (only in the baseline: yard, lanes; only in the candidate: customs)" \
    "different stations: the message"
expect_in "$tmp/err" "error: classes: not comparable: different classes (only in the baseline: truck; only in the candidate: fruit, general)" \
    "different classes: the message"
expect_rc 2 "different time_unit" "$tcsim" compare "$b" "$tmp/yl_hours/summary.json"
expect_in "$tmp/err" 'error: time_unit: not comparable: "min" in the baseline, "h" in the candidate' \
    "different time_unit: the message"
sed 's/"truck": {/"lorry": {/' "$b" >"$tmp/renamed.json"
expect_rc 2 "a renamed class" "$tcsim" compare "$b" "$tmp/renamed.json"
expect_in "$tmp/err" "error: classes: not comparable: different classes (only in the baseline: truck; only in the candidate: lorry)" \
    "renamed class: the message"

# ---- one replication has no interval: ci95 null, and compare refuses (exit 2)
# The reproducer: two seeds of one model with -r 1 were "moved: 62 of 87", exit 1.
run -r 1 -o "$tmp/r1a" "$yl"
run -r 1 -s 2 -o "$tmp/r1b" "$yl"
expect_in "$tmp/r1a/summary.json" '"sojourn": {"mean": ' "-r 1: summary.json has the means"
expect_not_in "$tmp/r1a/summary.json" '"ci95": 0,' "-r 1: no ci95 0 in summary.json"
if grep -q '"ci95": null' "$tmp/r1a/summary.json" && ! grep -q '"ci95": [0-9]' "$tmp/r1a/summary.json"; then
    ok "-r 1: every ci95 of summary.json is null"
else
    not_ok "-r 1: a ci95 of summary.json is a number"
fi
expect_in "$tmp/r1a/summary.csv" "station,lanes,,wait,$(awk -F, '$2 == "lanes" && $4 == "wait" {print $5}' "$tmp/r1a/summary.csv"),," \
    "-r 1: summary.csv leaves ci95 empty"
expect_rc 2 "two seeds with -r 1 each" "$tcsim" compare "$tmp/r1a/summary.json" "$tmp/r1b/summary.json"
expect_in "$tmp/err" "metrics (" "-r 1: says how many metrics cannot be judged"
expect_in "$tmp/err" "they differ and have no confidence interval (ci95 null: one replication; the baseline has 1, the candidate 1); run both with -r 2 or more" \
    "-r 1: the message says why and what to do"
expect_not_in "$tmp/out" "moved" "-r 1: no verdict table"
expect_rc 0 "-r 1 against itself (equal values agree)" "$tcsim" compare "$tmp/r1a/summary.json" "$tmp/r1a/summary.json"
"$tcsim" run -r 1 -o "$tmp/r1c" "$yl" >"$tmp/out" 2>"$tmp/err"
expect_in "$tmp/out" "(one replication: the values of that run, no confidence interval; -r 2 or more gives one)" \
    "-r 1: the terminal table says there is no interval"

# ---- a byte-order mark is accepted; trailing data is named as such
printf '\357\273\277' | cat - "$b" >"$tmp/bom.json"
expect_rc 0 "a summary.json with a UTF-8 byte-order mark" "$tcsim" compare "$b" "$tmp/bom.json"
{ cat "$b"; echo "garbage"; } >"$tmp/trailing.json"
expect_rc 2 "trailing garbage" "$tcsim" compare "$b" "$tmp/trailing.json"
expect_in "$tmp/err" "error: invalid JSON: trailing data after the JSON value at byte $(($(wc -c <"$b") + 1))" \
    "trailing garbage: named, with its byte"
expect_not_in "$tmp/err" "truncated" "trailing garbage: not called truncated"

# ---- paired (same seed, same replications, replications.csv beside) or Welch
# The same 10 % longer lane service with the same seed: every replication
# sees the same arrivals, so the paired test finds the change with a smaller
# p than Welch's test on the same two runs (replications.csv hidden); measured
# 1.0e-10 against 2.4e-9 for the lane wait, 9.3e-6 against 2.6e-5 for the
# time in system (the paired test has 9 degrees of freedom, Welch about 18).
run --set 'stations.lanes.service.mean=8.8 min' -o "$tmp/yl_slow1" "$yl"
mkdir -p "$tmp/w1" "$tmp/w2"
cp "$b" "$tmp/w1/summary.json"
cp "$tmp/yl_slow1/summary.json" "$tmp/w2/summary.json"
expect_rc 1 "same seed, 8 -> 8.8 min, paired" "$tcsim" compare --json "$b" "$tmp/yl_slow1/summary.json"
cp "$tmp/out" "$tmp/paired.json"
expect_in "$tmp/paired.json" '"test": "paired t (common random numbers: same seed 1 and 10 replications)",' \
    "paired: --json names the test"
expect_in "$tmp/paired.json" '"method": "paired-t+holm",' "paired: the method"
expect_rc 1 "same seed, 8 -> 8.8 min, Welch (no replications.csv)" \
    "$tcsim" compare --json "$tmp/w1/summary.json" "$tmp/w2/summary.json"
cp "$tmp/out" "$tmp/welch.json"
expect_in "$tmp/welch.json" "\"test\": \"Welch t (not paired: cannot read $tmp/w1/replications.csv: No such file or directory)\"," \
    "Welch: says why"
# p of a metric from a --json answer (the line after its "p_holm" is in the same object)
p_of() {
    awk -v m="\"metric\": \"$2\"," 'index($0, m) {f = 1} f && /"p": / {gsub(/[",]/, "", $2); print $2; exit}' "$1"
}
for m in stations.lanes.wait classes.truck.time_in_system; do
    pp=$(p_of "$tmp/paired.json" $m)
    pw=$(p_of "$tmp/welch.json" $m)
    if [ -n "$pp" ] && awk -v a="$pp" -v b="${pw:-1}" 'BEGIN {exit !(a < b / 2)}'; then
        ok "$m: paired p $pp < Welch p ${pw:-(not moved)} / 2"
    else
        not_ok "$m: paired p '$pp', Welch p '$pw'"
    fi
done
np=$(sed -n 's/.*"n_moved": \([0-9]*\),.*/\1/p' "$tmp/paired.json")
nw=$(sed -n 's/.*"n_moved": \([0-9]*\),.*/\1/p' "$tmp/welch.json")
if [ "$np" -ge "$nw" ]; then ok "paired flags no fewer metrics ($np) than Welch ($nw)"; else not_ok "paired $np, Welch $nw moved"; fi
run -r 20 -o "$tmp/yl_r20" "$yl"
expect_rc 0 "same seed, 10 against 20 replications" "$tcsim" compare "$b" "$tmp/yl_r20/summary.json"
expect_in "$tmp/out" "test: Welch t (not paired: different replications: 10 and 20)" \
    "different replication counts: Welch, and why"
expect_rc 0 "seed 1 against seed 2" "$tcsim" compare "$b" "$tmp/yl2/summary.json"
expect_in "$tmp/out" "test: Welch t (not paired: different seeds: 1 and 2)" \
    "different seeds: Welch, and why"

echo "1..$n"
exit $fail
